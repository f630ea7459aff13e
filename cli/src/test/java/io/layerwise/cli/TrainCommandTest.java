package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.checkpoints.bundle.DirectionBundle;
import io.layerwise.checkpoints.bundle.ProbeBundle;
import io.layerwise.checkpoints.bundle.RunBundleKind;
import io.layerwise.cli.ExtractCommandTest.Result;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.datasets.testing.NumpyPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code layerwise train} on the quick-start config: it extracts the MiniLM store, trains both probe
 * kinds on all seven layers and writes the table, metrics, plots, bundles and report; the Eq. 1
 * direction it saves equals numpy's difference of class means computed from the store's own files;
 * the sanitization sweep over that run reproduces the probe at alpha 0, agrees with the cached
 * projection where it must, and resumes; a missing store is refused before any work.
 */
class TrainCommandTest {
    static final Path TRAIN_CONFIG = ExtractCommandTest.REPO.resolve("configs/quickstart.yaml");
    static final Path SANITIZE_CONFIG = ExtractCommandTest.REPO.resolve("configs/sanitize-quickstart.yaml");

    @TempDir
    Path temp;

    @Test
    void trainExtractsThenWritesProbesDirectionsAndReport() throws Exception {
        Path run = temp.resolve("run");
        Path store = temp.resolve("store");
        Result r = ExtractCommandTest.run("train", TRAIN_CONFIG.toString(), "-s", "extract.dataset.path=" + ExtractCommandTest.QUICKSTART_DATA,
                "-s", "extract.output=" + store, "-s", "output=" + run, "-s", "mlp.epochs=8", "-s", "sanitize=");
        assertThat(r.status()).as(r.err()).isZero();
        assertThat(r.err()).contains("train: [14/14] layer 6 logistic");

        List<String> table = Files.readAllLines(run.resolve("tables/probes.csv"));
        assertThat(table.get(0)).startsWith("layer_idx,probe,f1,accuracy,tpr,fpr,precision,recall,auroc");
        assertThat(table).hasSize(1 + 7 * 2);
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        assertThat(metrics.at("/test/mlp/f1").size()).isEqualTo(8); // seven layers and the mean
        assertThat(metrics.at("/validation/logistic/auroc/mean").asDouble()).isBetween(0.5, 1.0);
        assertThat(Files.readAllLines(run.resolve("metrics.jsonl")).get(0)).contains("\"probe\":\"mlp\"", "\"train_loss\"");
        assertThat(run.resolve("plots/f1-by-layer.png")).isNotEmptyFile();
        assertThat(run.resolve("plots/loss-logistic-layer-06.png")).isNotEmptyFile();
        assertThat(Files.readString(run.resolve("report.html"))).contains("plots/f1-by-layer.png", "<h2>probes</h2>");

        ProbeBundle probe = ProbeBundle.read(RunBundleKind.MLP.directory(run, 6));
        assertThat(probe.card().baseModel().id()).isEqualTo("all-minilm-l6-v2");
        assertThat(probe.card().testF1().orElseThrow()).isEqualTo(Double.parseDouble(table.get(13).split(",")[2]), org.assertj.core.api.Assertions.within(1e-4));
        // The bundle applied to the stored test rows reproduces the table's test accuracy.
        ActivationStore activations = ActivationStore.open(store);
        boolean[] predicted = probe.predictions(activations.rows(ActivationTap.RESIDUAL, 6, Split.TEST).toFloatMatrix());
        long[] labels = activations.labels(Split.TEST);
        int right = 0;
        for (int i = 0; i < labels.length; i++) {
            right += predicted[i] == (labels[i] == 1) ? 1 : 0;
        }
        assertThat((double) right / labels.length).isEqualTo(probe.card().metrics().get("test_accuracy"), org.assertj.core.api.Assertions.within(1e-9));

        DirectionBundle direction = DirectionBundle.read(RunBundleKind.MEAN_DIFFERENCE.directory(run, 6));
        String script = String.join("\n",
                "import numpy as np, sys, json, struct",
                "store, bundle = sys.argv[1], sys.argv[2]",
                "x = np.load(store + '/residual/layer_6/shard_00000.npy').astype(np.float64)",
                "s = np.load(store + '/splits.npy'); y = np.load(store + '/labels.npy')",
                "t, ty = x[s == 0], y[s == 0]",
                "d = t[ty == 1].mean(0) - t[ty == 0].mean(0); d /= np.linalg.norm(d)",
                "raw = open(bundle + '/direction.safetensors', 'rb').read(); n = struct.unpack('<Q', raw[:8])[0]",
                "h = json.loads(raw[8:8 + n]); b, e = h['direction']['data_offsets']",
                "v = np.frombuffer(raw[8 + n + b:8 + n + e], dtype='<f4')",
                "print(json.dumps({'max_diff': float(np.abs(v - d).max())}))");
        NumpyPython.Output python = NumpyPython.run(script, store.toString(), RunBundleKind.MEAN_DIFFERENCE.directory(run, 6).toString());
        assertThat(python.status()).as(python.text()).isZero();
        assertThat(new ObjectMapper().readTree(python.text()).get("max_diff").asDouble()).isLessThan(1e-5);
        assertThat(direction.card().method()).isEqualTo("mean_difference");
        assertThat(RunBundleKind.LOGISTIC_DIRECTION.directory(run, 0).resolve("direction.safetensors")).isNotEmptyFile();

        sanitizeAtTheTopLayerEqualsTheCachedProjection(run);
    }

    /**
     * Mean pooling is linear, so ablating the readout layer's own direction inside the forward pass
     * (n = 1 when the readout layer ranks first) must give the same pooled rows, hence the same metrics,
     * as projecting the cached rows; alpha 0 must reproduce the readout probe's own test metrics.
     */
    private void sanitizeAtTheTopLayerEqualsTheCachedProjection(Path run) throws Exception {
        int top = -1;
        double best = -1;
        for (int layer = 0; layer <= 6; layer++) {
            double f1 = ProbeBundle.read(RunBundleKind.MLP.directory(run, layer)).card().testF1().orElseThrow();
            if (f1 > best) {
                best = f1;
                top = layer;
            }
        }
        Path sweep = temp.resolve("sanitize");
        String[] args = {"sanitize", SANITIZE_CONFIG.toString(), "-s", "run=" + run, "-s", "output=" + sweep,
            "-s", "readout_layer=" + top, "-s", "top_n=[1, 3]", "-s", "alphas=[0, 0.5, 1]"};
        Result r = ExtractCommandTest.run(args);
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode m = new ObjectMapper().readTree(sweep.resolve("metrics.json").toFile());
        ProbeBundle readout = ProbeBundle.read(RunBundleKind.MLP.directory(run, top));
        for (String method : List.of("mean_difference", "logistic")) {
            assertThat(m.at("/forward/" + method + "/n_1/0.0/f1").asDouble()).isEqualTo(readout.card().metrics().get("test_f1"));
            assertThat(m.at("/cached/" + method + "/n_1/0.0/accuracy").asDouble()).isEqualTo(readout.card().metrics().get("test_accuracy"));
            for (String alpha : List.of("0.5", "1.0")) {
                assertThat(m.at("/forward/" + method + "/n_1/" + alpha)).as(method + " alpha " + alpha)
                        .isEqualTo(m.at("/cached/" + method + "/n_1/" + alpha));
            }
        }
        assertThat(Files.readAllLines(sweep.resolve("tables/sanitize-mean_difference.csv")).get(0))
                .isEqualTo("n_layers,alpha,layers,f1,accuracy,fpr,tpr");
        assertThat(sweep.resolve("plots/f1-vs-alpha-logistic.png")).isNotEmptyFile();
        assertThat(Files.readString(sweep.resolve("tables/sanitize-cached.md"))).contains("cached readout projection (no forward pass)");

        Result again = ExtractCommandTest.run(args);
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.err()).contains("resuming, 12 cell(s) already done");
        assertThat(new ObjectMapper().readTree(sweep.resolve("metrics.json").toFile())).isEqualTo(m);
    }

    @Test
    void missingStoreIsRefusedBeforeAnyWork() throws Exception {
        Path config = temp.resolve("train.yaml");
        Files.writeString(config, "store: " + temp.resolve("absent") + "\noutput: " + temp.resolve("run") + "\n");
        Result r = ExtractCommandTest.run("train", config.toString());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("train.yaml:1:1", "store", "no activation store");
        assertThat(temp.resolve("run")).doesNotExist();
    }
}
