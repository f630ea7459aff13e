package io.layerwise.trainers.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.BadRowPolicy;
import io.layerwise.datasets.MmluReader;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An interrupted evaluation resumes from its saved predictions and ends with the same metrics. */
class EvalRunnerTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared"));

    @TempDir
    Path temp;

    @Test
    void interruptedEvaluationResumesWithoutRedoingSavedItems() throws Exception {
        try (FrozenTransformer model = FrozenTransformer.load(SHARED.resolve("models/tiny-qwen3-chat"))) {
            var items = new MmluReader(List.of(SHARED.resolve("data/testbed/mmlu-dev.csv")), BadRowPolicy.FAIL).read()
                    .items().subList(0, 40);
            MultipleChoiceTask task = new MultipleChoiceTask(model, Interventions.none(), items, List.of(),
                    "general knowledge", PromptFormat.plain());
            ObjectNode uninterrupted = new EvalRunner(8).run(task, temp.resolve("whole.jsonl"), done -> { });

            Path predictions = temp.resolve("resumed.jsonl");
            FailingAfter failing = new FailingAfter(task, 2);
            assertThatThrownBy(() -> new EvalRunner(8).run(failing, predictions, done -> { }))
                    .hasMessageContaining("interrupted");
            assertThat(Files.readAllLines(predictions)).hasSize(16);
            // a kill in the middle of a write leaves a torn last line
            Files.writeString(predictions, "{\"id\": \"torn", StandardOpenOption.APPEND);

            FailingAfter counting = new FailingAfter(task, Integer.MAX_VALUE);
            ObjectNode resumed = new EvalRunner(8).run(counting, predictions, done -> { });
            assertThat(counting.evaluated).hasSize(24);
            assertThat(resumed).isEqualTo(uninterrupted);
            assertThat(Files.readAllLines(predictions)).hasSize(40);
        }
    }

    /** Delegates to a real task and fails once it has evaluated {@code batches} batches. */
    private static final class FailingAfter implements EvalTask {
        private final EvalTask task;
        private final int batches;
        private final List<Integer> evaluated = new ArrayList<>();
        private int calls;

        FailingAfter(EvalTask task, int batches) {
            this.task = task;
            this.batches = batches;
        }

        @Override
        public String name() {
            return task.name();
        }

        @Override
        public int size() {
            return task.size();
        }

        @Override
        public String id(int index) {
            return task.id(index);
        }

        @Override
        public List<ObjectNode> evaluate(List<Integer> indices) {
            if (calls++ == batches) {
                throw new IllegalStateException("interrupted");
            }
            evaluated.addAll(indices);
            return task.evaluate(indices);
        }

        @Override
        public ObjectNode metrics(List<ObjectNode> predictions) {
            return task.metrics(predictions);
        }
    }
}
