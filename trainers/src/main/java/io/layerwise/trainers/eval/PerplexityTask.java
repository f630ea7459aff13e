package io.layerwise.trainers.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.scoring.Perplexity;
import java.util.ArrayList;
import java.util.List;

/**
 * Perplexity of a text over non-overlapping windows (see {@link Perplexity}); each window is one item,
 * so a long text is evaluated resumably, and the metric pools the negative log-likelihood of every
 * predicted token.
 */
public final class PerplexityTask implements EvalTask {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final FrozenTransformer model;
    private final Interventions interventions;
    private final List<long[]> windows;
    private final int window;

    public PerplexityTask(FrozenTransformer model, Interventions interventions, long[] tokens, int window) {
        this.model = model;
        this.interventions = interventions;
        this.window = window;
        this.windows = Perplexity.windows(tokens, window);
    }

    @Override
    public String name() {
        return "perplexity";
    }

    @Override
    public int size() {
        return windows.size();
    }

    @Override
    public String id(int index) {
        return "window-" + index;
    }

    @Override
    public List<ObjectNode> evaluate(List<Integer> indices) {
        List<long[]> chosen = indices.stream().map(windows::get).toList();
        List<Perplexity.Result> results = new Perplexity(model, interventions, window, indices.size()).measureWindows(chosen);
        List<ObjectNode> out = new ArrayList<>();
        for (int i = 0; i < indices.size(); i++) {
            Perplexity.Result r = results.get(i);
            out.add(JSON.createObjectNode().put("id", id(indices.get(i))).put("nats", r.nats()).put("predicted", r.predicted()));
        }
        return out;
    }

    @Override
    public ObjectNode metrics(List<ObjectNode> predictions) {
        double nats = 0;
        long predicted = 0;
        for (ObjectNode p : predictions) {
            nats += p.get("nats").asDouble();
            predicted += p.get("predicted").asLong();
        }
        return JSON.createObjectNode().put("windows", predictions.size()).put("predicted_tokens", predicted)
                .put("nats_per_token", nats / predicted).put("perplexity", Math.exp(nats / predicted));
    }
}
