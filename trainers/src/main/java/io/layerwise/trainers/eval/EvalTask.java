package io.layerwise.trainers.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * One evaluation over a fixed list of items, split so a harness can batch it, save every item's
 * prediction as it goes and resume after an interruption: items are evaluated in any grouping with
 * the same result, and the metrics are a function of the saved predictions alone.
 */
public interface EvalTask {

    /** The task name used in outputs ({@code mmlu}, {@code gsm8k}, {@code perplexity}, {@code refusal}). */
    String name();

    /** Number of items. */
    int size();

    /** A stable identifier of item {@code index} (saved with its prediction). */
    String id(int index);

    /** Predictions of the given items, in order; each carries at least {@code "id"}. */
    List<ObjectNode> evaluate(List<Integer> indices);

    /** The task's metrics from every item's prediction, in item order. */
    ObjectNode metrics(List<ObjectNode> predictions);
}
