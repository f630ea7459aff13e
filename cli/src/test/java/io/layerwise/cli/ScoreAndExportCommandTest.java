package io.layerwise.cli;

import static io.layerwise.cli.ExtractCommandTest.QUICKSTART_CONFIG;
import static io.layerwise.cli.ExtractCommandTest.QUICKSTART_DATA;
import static io.layerwise.cli.ExtractCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.checkpoints.bundle.AffineLayer;
import io.layerwise.checkpoints.bundle.BundleKind;
import io.layerwise.checkpoints.bundle.ProbeActivation;
import io.layerwise.checkpoints.bundle.ProbeBundle;
import io.layerwise.checkpoints.bundle.ProbeCard;
import io.layerwise.checkpoints.bundle.RunBundleKind;
import io.layerwise.checkpoints.bundle.TensorBundle;
import io.layerwise.cli.ExtractCommandTest.Result;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.datasets.store.StoreManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code layerwise export} and {@code layerwise score} end to end on the bundled MiniLM: a float32
 * store of the quick-start comments is extracted, an MLP probe over its layer-3 rows is written where a
 * train run keeps it, exported with {@code --layer best}, and scored on the same texts; the scores must
 * equal the probe applied in Java to the stored rows (same pooling, batching and tokenization). A probe
 * whose card names other weights is refused with exit status 2.
 */
class ScoreAndExportCommandTest {
    static final int LAYER = 3;

    @TempDir
    static Path temp;
    static Path store;
    static float[][] storedRows;
    static StoreManifest manifest;

    @BeforeAll
    static void extractFloat32Store() {
        store = temp.resolve("store");
        Result r = run("extract", QUICKSTART_CONFIG.toString(), "-s", "dataset.path=" + QUICKSTART_DATA, "-s", "output=" + store,
                "-s", "dtype=f32", "-s", "layers=[" + LAYER + "]");
        assertThat(r.status()).as(r.err()).isZero();
        manifest = StoreManifest.read(store);
        INDArray rows = ActivationStore.open(store).shard(ActivationTap.RESIDUAL, LAYER, 0);
        storedRows = rows.toFloatMatrix();
    }

    /** An MLP probe with seeded weights, standardized with the stored rows' own mean and deviation. */
    static ProbeBundle probe(String fingerprint, int layer, double testF1) {
        int d = storedRows[0].length;
        float[] mean = new float[d];
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            double sum = 0;
            double squares = 0;
            for (float[] row : storedRows) {
                sum += row[j];
                squares += (double) row[j] * row[j];
            }
            double m = sum / storedRows.length;
            mean[j] = (float) m;
            std[j] = (float) Math.sqrt(Math.max(squares / storedRows.length - m * m, 1e-12));
        }
        Random random = new Random(11);
        float[][] w1 = new float[16][d];
        for (float[] row : w1) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (random.nextGaussian() / Math.sqrt(d));
            }
        }
        float[][] w2 = new float[1][16];
        for (int j = 0; j < 16; j++) {
            w2[0][j] = (float) random.nextGaussian();
        }
        StoreManifest.ModelInfo model = manifest.model();
        ProbeCard card = new ProbeCard(TensorBundle.FORMAT, BundleKind.MLP,
                new ProbeCard.BaseModel(model.id(), fingerprint, model.modelType(), model.precision()), layer, "residual",
                manifest.pooling(), manifest.maxLength(), manifest.paddingSide(), d, ProbeActivation.RELU,
                ProbeCard.OUTPUT_PROBABILITY, new ProbeCard.Standardization(mean, std), new ProbeCard.Threshold(0.5, "fixed"),
                null, Map.of(ProbeCard.TEST_F1, testF1), Map.of(), manifest.dataset().fingerprint(), 11,
                "2026-11-24T12:00:00Z", "0.1.0");
        return new ProbeBundle(card, List.of(new AffineLayer(w1, new float[16]), new AffineLayer(w2, new float[] {0.1f})));
    }

    @Test
    void exportedProbeScoresTextsExactlyAsOnTheStoredRows() throws Exception {
        Path run = temp.resolve("run");
        probe(manifest.model().weightFingerprint(), LAYER, 0.9).write(RunBundleKind.MLP.directory(run, LAYER));
        // a worse probe at another layer, so that --layer best has a choice to make
        probe(manifest.model().weightFingerprint(), 1, 0.6).write(RunBundleKind.MLP.directory(run, 1));
        Path bundle = temp.resolve("exported");
        Result exported = run("export", "--run", run.toString(), "--kind", "mlp", "--layer", "best", "--out", bundle.toString());
        assertThat(exported.status()).as(exported.err()).isZero();
        assertThat(exported.out()).contains("layer 3 (test F1 0.9000)");

        Path scores = temp.resolve("scores.csv");
        Result scored = run("score", "--probe", bundle.toString(), "--model", "all-minilm-l6-v2", "--input",
                QUICKSTART_DATA.toString(), "--out", scores.toString(), "--batch-size", String.valueOf(manifest.batchSize()));
        assertThat(scored.status()).as(scored.err()).isZero();
        assertThat(scored.out()).contains("scored 300 texts");

        List<String> lines = Files.readAllLines(scores);
        assertThat(lines.get(0)).isEqualTo("id,probability,prediction");
        assertThat(lines).hasSize(301);
        ProbeBundle probe = ProbeBundle.read(bundle);
        double[] expected = probe.probabilities(storedRows);
        boolean[] predicted = probe.predictions(storedRows);
        List<String> ids = ActivationStore.open(store).exampleIds();
        int positives = 0;
        for (int i = 0; i < expected.length; i++) {
            String[] cells = lines.get(i + 1).split(",");
            assertThat(cells[0]).isEqualTo(ids.get(i));
            // same batches, same pooling: the rows agree to float rounding of the standardization at most
            assertThat(Double.parseDouble(cells[1])).as("row %d", i).isCloseTo(expected[i], org.assertj.core.data.Offset.offset(1e-9));
            assertThat(cells[2]).isEqualTo(predicted[i] ? "1" : "0");
            positives += predicted[i] ? 1 : 0;
        }
        // the check means something only if the probabilities are spread over both classes
        assertThat(positives).isBetween(10, 290);
    }

    @Test
    void probeOfOtherWeightsIsRefused() {
        Path bundle = temp.resolve("other");
        probe("sha256:" + "0".repeat(64), LAYER, 0.9).write(bundle);
        Path scores = temp.resolve("never.csv");
        Result r = run("score", "--probe", bundle.toString(), "--model", "all-minilm-l6-v2", "--input", QUICKSTART_DATA.toString(),
                "--out", scores.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("was trained on all-minilm-l6-v2 (weights sha256:000", "but --model all-minilm-l6-v2 has weights "
                + manifest.model().weightFingerprint(), "score with the model the probe was trained on").doesNotContain("Exception");
        assertThat(scores).doesNotExist();
    }

    @Test
    void badArgumentsAreNamed() {
        Result kind = run("export", "--run", temp.toString(), "--kind", "svm", "--layer", "1", "--out", temp.resolve("x").toString());
        assertThat(kind.status()).isEqualTo(2);
        assertThat(kind.err()).contains("--kind: 'svm' is not one of mlp, logistic, mean_difference, logistic_direction");
        Result layer = run("export", "--run", temp.toString(), "--kind", "mlp", "--layer", "top", "--out", temp.resolve("x").toString());
        assertThat(layer.err()).contains("--layer: 'top' is neither a layer index >= 0 nor best");
        Result notBundle = run("score", "--probe", temp.resolve("nothing").toString(), "--model", "all-minilm-l6-v2", "--input",
                QUICKSTART_DATA.toString(), "--out", temp.resolve("s.csv").toString());
        assertThat(notBundle.status()).isEqualTo(2);
        assertThat(notBundle.err()).contains(temp.resolve("nothing") + " is not a bundle directory");
    }
}
