package io.layerwise.trainers.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.BadRowPolicy;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.Gsm8kReader;
import io.layerwise.datasets.LabelledTextReader;
import io.layerwise.datasets.LabelledTextSpec;
import io.layerwise.datasets.MmluReader;
import io.layerwise.datasets.TextFileFormat;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.tokenizer.ChatTemplate;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation tasks on the really trained {@code tiny-qwen3-chat} reproduce the numbers its model
 * card reports from Hugging Face {@code transformers} on the testbed dev sets.
 */
class TinyQwen3ChatEvalTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared"));
    private static final Path MODEL = SHARED.resolve("models/tiny-qwen3-chat");
    private static final Path TESTBED = SHARED.resolve("data/testbed");
    private static final List<String> STOPS = List.of("<|endoftext|>", "<|im_end|>");
    private static FrozenTransformer model;

    @TempDir
    Path temp;

    @BeforeAll
    static void load() {
        model = FrozenTransformer.load(MODEL);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void multipleChoiceMatchesTheModelCard() {
        var items = new MmluReader(List.of(TESTBED.resolve("mmlu-dev.csv")), BadRowPolicy.FAIL).read().items();
        MultipleChoiceTask task = new MultipleChoiceTask(model, Interventions.none(), items, List.of(),
                "general knowledge", PromptFormat.plain());
        ObjectNode metrics = new EvalRunner(16).run(task, temp.resolve("mmlu.jsonl"), done -> { });
        // card: accuracy 0.950; macro P/R/F1 0.951 / 0.950 / 0.950
        assertThat(metrics.get("items").asInt()).isEqualTo(200);
        assertThat(metrics.get("accuracy").asDouble()).isCloseTo(0.950, within(1e-9));
        assertThat(metrics.get("precision").asDouble()).isCloseTo(0.951, within(5e-4));
        assertThat(metrics.get("recall").asDouble()).isCloseTo(0.950, within(5e-4));
        assertThat(metrics.get("f1").asDouble()).isCloseTo(0.950, within(5e-4));
    }

    @Test
    void wordProblemsAreAllSolvedAsOnTheModelCard() {
        var problems = new Gsm8kReader(TESTBED.resolve("gsm8k-dev.jsonl"), BadRowPolicy.FAIL).read().items();
        MathTask task = new MathTask(model, Interventions.none(), problems, PromptFormat.plain(), 128, STOPS);
        ObjectNode metrics = new EvalRunner(10).run(task, temp.resolve("gsm8k.jsonl"), done -> { });
        assertThat(metrics.get("items").asInt()).isEqualTo(100);
        assertThat(metrics.get("accuracy").asDouble()).isEqualTo(1.0);
    }

    @Test
    void refusalRatesPerDataTypeMatchTheModelCard() {
        Map<String, Integer> types = Map.of("vanilla_harmful", 0, "adversarial_harmful", 1, "vanilla_benign", 2,
                "adversarial_benign", 3);
        List<String> names = List.of("vanilla_harmful", "adversarial_harmful", "vanilla_benign", "adversarial_benign");
        LabelledTextSpec spec = new LabelledTextSpec(TextFileFormat.TSV, List.of("adversarial", "vanilla"), "data_type",
                null, types);
        List<RefusalTask.Prompt> prompts = new ArrayList<>();
        for (Example e : new LabelledTextReader(TESTBED.resolve("prompts-dev.tsv"), spec, BadRowPolicy.FAIL).read().items()) {
            prompts.add(new RefusalTask.Prompt(e.id(), e.text(), names.get(e.label())));
        }
        RefusalTask task = new RefusalTask(model, Interventions.none(), prompts,
                PromptFormat.chat(ChatTemplate.forModel(MODEL), "tiny-qwen3-chat"), 64, STOPS, RefusalTask.DEFAULT_PHRASES);
        ObjectNode metrics = new EvalRunner(20).run(task, temp.resolve("refusal.jsonl"), done -> { });
        ObjectNode byGroup = (ObjectNode) metrics.get("refusal_rate_by_group");
        assertThat(byGroup.get("vanilla_harmful").asDouble()).isEqualTo(0.98);
        assertThat(byGroup.get("adversarial_harmful").asDouble()).isEqualTo(0.98);
        assertThat(byGroup.get("vanilla_benign").asDouble()).isEqualTo(0.02);
        assertThat(byGroup.get("adversarial_benign").asDouble()).isEqualTo(0.02);
    }
}
