package io.layerwise.datasets.extract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.config.ConfigLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Planning checks a config against the model and the data without loading weights, and lays out rows,
 * shards and batches. The byte-level Llama of {@code ../shared/models} makes token counts exact: one
 * token per byte plus {@code <s>}.
 */
class ExtractionPlanTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared"));
    private static final Path BYTE_LLAMA = SHARED.resolve("models/tiny-llama-bytes");

    @TempDir
    Path dir;

    @Test
    void perTokenPlanHasOneRowPerTokenAndShardsOfFixedExampleRanges() throws IOException {
        ExtractionPlan plan = plan(BYTE_LLAMA, List.of("abc", "hello", "x", "four", "seven!!"), "pooling: none\nshard_size: 2\n");
        assertThat(plan.tokenCounts()).containsExactly(4, 6, 2, 5, 8);
        assertThat(plan.rows()).isEqualTo(25);
        assertThat(plan.shards()).extracting(ExtractionPlan.ShardPlan::firstRow).containsExactly(0L, 10L, 17L);
        assertThat(plan.shards()).extracting(ExtractionPlan.ShardPlan::rows).containsExactly(10L, 7L, 8L);
        assertThat(plan.describe()).contains("25 rows per layer", "3 shard(s)", "left padding", "store     new");
    }

    @Test
    void tooLongTextWithoutTruncationNamesTheFieldAndTheExample() throws IOException {
        assertThatThrownBy(() -> plan(BYTE_LLAMA, List.of("short", "this one is long"), "max_length: 8\ntruncation: false\n"))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining(dir.resolve("extract.yaml") + ":9:1: truncation: false, but example 'texts.jsonl:2'")
                .hasMessageContaining("has 17 tokens, more than max_length 8");
    }

    @Test
    void truncationCutsLongTextsToMaxLength() throws IOException {
        ExtractionPlan plan = plan(BYTE_LLAMA, List.of("short", "this one is long"), "max_length: 8\n");
        assertThat(plan.tokenCounts()).containsExactly(6, 8);
        assertThat(plan.describe()).contains("1 texts truncated");
    }

    @Test
    void modelWithoutTokenizerIsRefusedAtTheModelField() throws IOException {
        assertThatThrownBy(() -> plan(SHARED.resolve("fixtures/bert"), List.of("a"), ""))
                .hasMessageContaining(dir.resolve("extract.yaml") + ":1:1: model: ")
                .hasMessageContaining("has no tokenizer.json");
    }

    @Test
    void defaultMaxLengthIsCappedAtTheModelsPositions() throws IOException {
        ExtractionPlan plan = plan(BYTE_LLAMA, List.of("a"), "");
        assertThat(plan.config().maxLength()).isEqualTo(512);
        assertThat(plan.resolvedConfigYaml()).contains("max_length: 512");
    }

    @Test
    void lengthAboveTheModelsPositionsIsRefused() throws IOException {
        assertThatThrownBy(() -> plan(BYTE_LLAMA, List.of("a"), "max_length: 4096\n"))
                .hasMessageContaining("max_length: 4096 is more than the 512 positions of");
    }

    private ExtractionPlan plan(Path model, List<String> texts, String extra) throws IOException {
        StringBuilder jsonl = new StringBuilder();
        for (String t : texts) {
            jsonl.append("{\"text\": \"").append(t).append("\", \"label\": 1}\n");
        }
        Files.writeString(dir.resolve("texts.jsonl"), jsonl);
        Path config = dir.resolve("extract.yaml");
        Files.writeString(config, "model: '" + model + "'\n"
                + "dataset:\n"
                + "  path: '" + dir.resolve("texts.jsonl") + "'\n"
                + "  format: jsonl\n"
                + "splits: {train: 1.0}\n"
                + "output: '" + dir.resolve("store") + "'\n"
                + "batch_size: 2\n"
                + extra);
        return ExtractionPlan.create(ConfigLoader.load(config, List.of(), ExtractionConfig.class));
    }
}
