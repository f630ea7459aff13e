package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code layerwise sweep} over a real {@code train} config: a learning-rate grid of logistic probes on a
 * MiniLM store of the quick-start comments. The store is extracted once, before the first candidate,
 * and every candidate trains from it; each candidate's objective is the number in its own run's
 * metrics.json; the best candidate's {@code best.yaml} run with {@code layerwise train} reproduces its
 * objective exactly; a rerun skips everything; a sweep whose candidates all fail exits 1 showing every error;
 * an alpha sweep of {@code sanitize} on that train run reuses its probes and the store, each objective being
 * the cell its own sanitize run recorded.
 */
class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    private Path write(String name, String yaml) throws IOException {
        Path file = temp.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    @Test
    void learningRateSweepTrainsEveryCandidateOnOneExtractedStore() throws IOException {
        Path store = temp.resolve("store");
        Path base = write("train.yaml", """
                extract:
                  model: all-minilm-l6-v2
                  dataset: {path: %s, format: jigsaw}
                  splits: {train: 0.7, validation: 0.15, test: 0.15, seed: 42}
                  taps: [residual]
                  layers: [2, 4]
                  pooling: mean
                  max_length: 32
                  batch_size: 32
                  dtype: f16
                  output: %s
                probes: [logistic]
                logistic: {solver: adam, epochs: 20, batch_size: 64, patience: 0}
                seed: 42
                output: %s
                """.formatted(ExtractCommandTest.QUICKSTART_DATA, store, temp.resolve("unused")));
        Path sweep = temp.resolve("sweep");
        Path config = write("sweep.yaml", """
                command: train
                base: %s
                fields:
                  logistic.learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}
                generator: {grid: {discretization: 3}}
                objective: {metric: validation.logistic.f1.mean, goal: maximize}
                parallelism: 2
                output: %s
                """.formatted(base, sweep));

        ExtractCommandTest.Result dry = ExtractCommandTest.run("sweep", config.toString(), "--dry-run");
        assertThat(dry.status()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("3 candidates:", "| 0 | 1.0E-4 |", "| 2 | 0.1 |");
        assertThat(sweep).doesNotExist();
        assertThat(store).doesNotExist();

        ExtractCommandTest.Result r = ExtractCommandTest.run("sweep", config.toString());
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.out()).contains("sweep: 3 of 3 candidates completed, 0 failed, 0 not run");
        assertThat(r.err()).containsOnlyOnce("extract: 300/300 examples (100%)");

        List<String> csv = Files.readAllLines(sweep.resolve("tables/sweep.csv"));
        assertThat(csv).hasSize(4);
        List<String> header = List.of(csv.get(0).split(","));
        double best = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < 3; k++) {
            Path candidate = sweep.resolve(String.format("candidates/%04d", k));
            // candidates train from the shared store and never extract
            String resolved = Files.readString(candidate.resolve("config.yaml"));
            assertThat(resolved).contains("store: " + store).doesNotContain("extract:");
            assertThat(resolved).contains("learning_rate: " + List.of("1.0E-4", "0.00316227766017", "0.1").get(k));
            // the objective is the number the candidate's own train run wrote
            JsonNode metrics = JSON.readTree(candidate.resolve("run/metrics.json").toFile());
            double objective = metrics.at("/validation/logistic/f1/mean").asDouble();
            List<String> row = List.of(csv.get(k + 1).split(",", -1));
            assertThat(row.get(header.indexOf("status"))).isEqualTo("complete");
            assertThat(Double.parseDouble(row.get(header.indexOf("objective")))).isEqualTo(objective);
            assertThat(Double.parseDouble(row.get(header.indexOf("test.logistic.auroc.4"))))
                    .isEqualTo(metrics.at("/test/logistic/auroc/4").asDouble());
            best = Math.max(best, objective);
        }
        assertThat(sweep.resolve("plots/objective-vs-logistic-learning_rate.png")).isNotEmptyFile();
        assertThat(Files.readString(sweep.resolve("report.html"))).contains("objective-vs-logistic-learning_rate.png");

        // best.yaml is a ready-to-run train config that reproduces the best objective
        Path direct = temp.resolve("direct");
        ExtractCommandTest.Result train = ExtractCommandTest.run("train", sweep.resolve("best.yaml").toString(),
                "-s", "output=" + direct);
        assertThat(train.status()).as(train.err()).isZero();
        assertThat(JSON.readTree(direct.resolve("metrics.json").toFile()).at("/validation/logistic/f1/mean").asDouble())
                .isEqualTo(best);

        // a rerun finds the store complete and every candidate done: nothing is extracted or trained again
        List<FileTime> shards = modified(store);
        ExtractCommandTest.Result again = ExtractCommandTest.run("sweep", config.toString());
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("already complete; nothing to do", "sweep: 3 of 3 candidates completed");
        assertThat(again.err()).contains("3 candidates, 0 to run").doesNotContain("running", "extract: ");
        assertThat(modified(store)).isEqualTo(shards);

        // every candidate fails (the store holds layers 2 and 4 only): exit 1, every error shown
        Path failing = write("failing.yaml", """
                command: train
                base: %s
                fields:
                  layers: {values: [[5], [6]]}
                generator: {grid: {discretization: 2}}
                objective: {metric: validation.logistic.f1.mean}
                output: %s
                """.formatted(base, temp.resolve("failing")));
        ExtractCommandTest.Result failed = ExtractCommandTest.run("sweep", failing.toString());
        assertThat(failed.status()).isEqualTo(1);
        assertThat(failed.err()).contains("layerwise: sweep failed: no candidate of the sweep completed (2 failed, 0 not run)",
                "candidate 0 [layers=[5]]: DatasetException: layers: the store " + store + " holds residual layers [2, 4], not layer 5",
                "candidate 1 [layers=[6]]: DatasetException: layers: the store " + store + " holds residual layers [2, 4], not layer 6");
        assertThat(Files.readString(temp.resolve("failing/tables/sweep.csv"))).contains("failed");

        // an alpha sweep of sanitize on the best train run: one alpha per candidate; candidates reuse the
        // run's probes, directions and the store, and write only into their own folders
        Path sanitizeBase = write("sanitize.yaml", """
                run: %s
                readout_probe: logistic
                rank_by: logistic
                directions: [mean_difference]
                top_n: [1]
                alphas: [0.5]
                output: %s
                """.formatted(direct, temp.resolve("unused-sanitize")));
        Path alphaSweep = write("alpha.yaml", """
                command: sanitize
                base: %s
                fields:
                  alphas: {values: [0.0, 1.0], as_list: true}
                generator: {grid: {}}
                objective: {metric: forward.mean_difference.top_1.f1, goal: minimize}
                output: %s
                """.formatted(sanitizeBase, temp.resolve("alpha")));
        List<FileTime> reused = modified(direct);
        ExtractCommandTest.Result alpha = ExtractCommandTest.run("sweep", alphaSweep.toString());
        assertThat(alpha.status()).as(alpha.err()).isZero();
        assertThat(alpha.out()).contains("sweep: 2 of 2 candidates completed");
        assertThat(modified(store)).isEqualTo(shards);
        assertThat(modified(direct)).isEqualTo(reused);
        List<String> alphaCsv = Files.readAllLines(temp.resolve("alpha/tables/sweep.csv"));
        List<String> alphaHeader = List.of(alphaCsv.get(0).split(","));
        for (int k = 0; k < 2; k++) {
            // the objective is the forward cell the candidate's own sanitize run recorded
            JsonNode cells = JSON.readTree(temp.resolve(String.format("alpha/candidates/%04d/run/cells.json", k)).toFile());
            double f1 = cells.path("cells").path("mean_difference/1/" + (double) k).path("metrics").path("f1").asDouble(Double.NaN);
            String[] row = alphaCsv.get(k + 1).split(",", -1);
            assertThat(row[1]).isEqualTo("[" + (double) k + "]");
            assertThat(Double.parseDouble(row[alphaHeader.indexOf("objective")])).isEqualTo(f1);
        }
    }

    @Test
    void aTrainSweepRefusesToVaryExtractionOrToRunSanitization() throws IOException {
        Path base = write("train.yaml", "store: " + temp + "\noutput: x\n");
        Path config = write("sweep.yaml", """
                command: train
                base: %s
                fields:
                  extract.pooling: {values: [mean, max]}
                generator: {grid: {}}
                objective: {metric: validation.mlp.f1.mean}
                output: %s
                """.formatted(base, temp.resolve("sweep")));
        ExtractCommandTest.Result r = ExtractCommandTest.run("sweep", config.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("a train sweep cannot vary 'extract.pooling'");

        // a base that would also run sanitization is refused: a train sweep trains probes only
        Files.writeString(base, "store: " + temp + "\noutput: x\nsanitize: {top_n: [1]}\n");
        Files.writeString(config, Files.readString(config).replace("extract.pooling: {values: [mean, max]}",
                "mlp.dropout: {linear: [0.0, 0.5]}"));
        ExtractCommandTest.Result sanitizing = ExtractCommandTest.run("sweep", config.toString());
        assertThat(sanitizing.status()).isEqualTo(2);
        assertThat(sanitizing.err()).contains("sanitize: a train sweep trains probes only: add sanitize: null");
    }

    private static List<FileTime> modified(Path dir) throws IOException {
        List<FileTime> times = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                times.add(Files.getLastModifiedTime(f));
            }
        }
        return times;
    }
}
