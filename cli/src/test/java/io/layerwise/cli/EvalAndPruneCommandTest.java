package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code layerwise eval} and {@code layerwise prune} end to end on the trained test model. */
class EvalAndPruneCommandTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared")).toAbsolutePath();
    private static final String MODEL = SHARED.resolve("models/tiny-qwen3-chat").toString();

    @TempDir
    Path temp;

    @Test
    void evalWritesMetricsPredictionsAndReportAndResumesWithoutRedoingItems() throws Exception {
        Path config = write("gsm8k.yaml", "model: " + MODEL + "\ntask: gsm8k\ndataset:\n  path: "
                + SHARED.resolve("data/testbed/gsm8k-dev.jsonl") + "\n  limit: 5\nbatch_size: 5\noutput: " + temp.resolve("run"));
        assertThat(Layerwise.run("eval", config.toString())).isZero();
        JsonNode metrics = new ObjectMapper().readTree(temp.resolve("run/metrics.json").toFile());
        assertThat(metrics.get("accuracy").asDouble()).isEqualTo(1.0);
        assertThat(Files.readAllLines(temp.resolve("run/predictions.jsonl"))).hasSize(5);
        assertThat(temp.resolve("run/report.html")).exists();
        assertThat(temp.resolve("run/config.resolved.yaml")).content().contains("task: gsm8k", "max_new_tokens: 128");
        assertThat(Layerwise.run("eval", config.toString())).isZero();
        assertThat(Files.readAllLines(temp.resolve("run/predictions.jsonl"))).hasSize(5);
        // another evaluation into the same directory is refused, not mixed
        assertThat(Layerwise.run("eval", config.toString(), "-s", "dataset.limit=3")).isEqualTo(2);
    }

    @Test
    void evalOnHuggingFaceParquetGivesTheCsvRunsPredictionsAndAccuracy() throws Exception {
        // The datasets test-jar's reference file: mmlu-dev.csv's rows in cais/mmlu's schema with subject
        // general_knowledge, which prompts as the CSV run's default subject "general knowledge" does.
        Path parquet = temp.resolve("dev-00000-of-00001.parquet");
        try (InputStream in = getClass().getResourceAsStream("/mmlu-parquet/mmlu-dev-v2-dictionary.parquet")) {
            Files.copy(in, parquet);
        }
        // 32 of the 200 items keep the default suite fast; all 200 give 0.950 either way (README).
        String common = "model: " + MODEL + "\ntask: mmlu\nbatch_size: 16\ndataset:\n  limit: 32\n  path: ";
        assertThat(Layerwise.run("eval", write("csv.yaml", common + SHARED.resolve("data/testbed/mmlu-dev.csv")
                + "\noutput: " + temp.resolve("csv")).toString())).isZero();
        assertThat(Layerwise.run("eval", write("parquet.yaml", common + parquet + "\noutput: " + temp.resolve("parquet"))
                .toString())).isZero();

        ObjectMapper json = new ObjectMapper();
        JsonNode csvMetrics = json.readTree(temp.resolve("csv/metrics.json").toFile());
        JsonNode parquetMetrics = json.readTree(temp.resolve("parquet/metrics.json").toFile());
        assertThat(parquetMetrics.get("items").asInt()).isEqualTo(32);
        assertThat(parquetMetrics.get("accuracy").asDouble()).isEqualTo(csvMetrics.get("accuracy").asDouble());
        assertThat(parquetMetrics.get("f1").asDouble()).isEqualTo(csvMetrics.get("f1").asDouble());
        List<String> csvPredictions = Files.readAllLines(temp.resolve("csv/predictions.jsonl"));
        List<String> parquetPredictions = Files.readAllLines(temp.resolve("parquet/predictions.jsonl"));
        assertThat(parquetPredictions).hasSize(32);
        for (int i = 0; i < 32; i++) {
            ObjectNode fromCsv = (ObjectNode) json.readTree(csvPredictions.get(i));
            ObjectNode fromParquet = (ObjectNode) json.readTree(parquetPredictions.get(i));
            assertThat(fromCsv.remove("id").asText()).isEqualTo("mmlu-dev.csv:" + (i + 1));
            assertThat(fromParquet.remove("id").asText()).isEqualTo(temp.getFileName() + "/" + parquet.getFileName() + ":" + (i + 1));
            assertThat(fromParquet).isEqualTo(fromCsv);
        }
    }

    @Test
    void badConfigValueIsReportedWithFileLineAndField() throws Exception {
        Path config = write("bad.yaml", "model: " + MODEL + "\ntask: translation\ndataset: {path: x.csv}\noutput: out\n");
        String err = stderrOf(() -> assertThat(Layerwise.run("eval", config.toString())).isEqualTo(2));
        assertThat(err).contains("bad.yaml:2").contains("task").contains("mmlu");
    }

    @Test
    void layerRemovalStudyHasAZeroshotRowEqualToThePlainEvaluation() throws Exception {
        String common = "model: " + MODEL + "\ntask: mmlu\ndataset:\n  path: " + SHARED.resolve("data/testbed/mmlu-dev.csv")
                + "\n  limit: 24\nbatch_size: 12\n";
        assertThat(Layerwise.run("eval", write("eval.yaml", common + "output: " + temp.resolve("plain")).toString())).isZero();
        Path prune = write("prune.yaml", common + "study: layer_removal\nlayers: [0, 7]\noutput: " + temp.resolve("study"));
        assertThat(Layerwise.run("prune", prune.toString())).isZero();
        List<String> table = Files.readAllLines(temp.resolve("study/tables/layer_removal.csv"));
        assertThat(table.get(0)).isEqualTo("Layer,Accuracy,Precision,Recall,F1");
        assertThat(table).hasSize(4);
        JsonNode plain = new ObjectMapper().readTree(temp.resolve("plain/metrics.json").toFile());
        String[] zeroshot = table.get(1).split(",");
        assertThat(zeroshot[0]).isEqualTo("Zeroshot");
        assertThat(Double.parseDouble(zeroshot[1])).isEqualTo(plain.get("accuracy").asDouble());
        assertThat(Double.parseDouble(zeroshot[4])).isEqualTo(plain.get("f1").asDouble());
        assertThat(table.get(2)).startsWith("0,");
        assertThat(temp.resolve("study/plots/layer_removal-accuracy.png")).exists();
        assertThat(temp.resolve("study/report.html")).content().contains("layer_removal-accuracy.png");
    }

    @Test
    void magnitudeStudyReportsTheAchievedSparsityAndRefusalRatesAsColumns() throws Exception {
        List<String> prompts = Files.readAllLines(SHARED.resolve("data/testbed/prompts-dev.tsv"));
        Path safety = write("safety.tsv", String.join("\n", prompts.subList(0, 7)) + "\n");
        Path prune = write("magnitude.yaml", "model: " + MODEL + "\ntask: mmlu\ndataset:\n  path: "
                + SHARED.resolve("data/testbed/mmlu-dev.csv") + "\n  limit: 12\nbatch_size: 12\nstudy: magnitude\n"
                + "percentages: [50]\nsafety_prompts: " + safety + "\noutput: " + temp.resolve("magnitude"));
        assertThat(Layerwise.run("prune", prune.toString())).isZero();
        List<String> table = Files.readAllLines(temp.resolve("magnitude/tables/magnitude.csv"));
        assertThat(table.get(0)).startsWith("Sparsity %,Achieved sparsity,Accuracy").contains(",Safety refusal rate");
        String[] row = table.get(2).split(",");
        assertThat(Double.parseDouble(row[0])).isEqualTo(50.0);
        assertThat(Double.parseDouble(row[1])).isBetween(0.499, 0.501);
        int safetyColumn = List.of(table.get(0).split(",")).indexOf("Safety refusal rate");
        assertThat(Double.parseDouble(table.get(1).split(",")[safetyColumn])).isBetween(0.0, 1.0);
        assertThat(temp.resolve("magnitude/rows/zeroshot/safety/predictions.jsonl")).exists();
    }

    private Path write(String name, String yaml) throws Exception {
        Path file = temp.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static String stderrOf(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
