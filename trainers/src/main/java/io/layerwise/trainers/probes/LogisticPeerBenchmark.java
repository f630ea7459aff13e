package io.layerwise.trainers.probes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.models.bench.MachineInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The logistic probe against scikit-learn's {@code LogisticRegression} (lbfgs, same L2 via
 * {@link LogisticSettings#equivalentC}) on the same cached activations, per layer, in one run: test
 * accuracy at threshold 0.5 and training time (standardization plus fit; the best of a few repeats on
 * each side, so neither pays for warm-up). Python reads the store's {@code .npy} files itself.
 */
public final class LogisticPeerBenchmark {
    private static final String SCRIPT = """
            import json, sys, time, glob, numpy as np
            from sklearn.linear_model import LogisticRegression
            from sklearn.preprocessing import StandardScaler
            store, l2, repeats = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
            layers = [int(x) for x in sys.argv[4].split(",")]
            y = np.load(store + "/labels.npy"); s = np.load(store + "/splits.npy")
            out = {}
            for layer in layers:
                x = np.concatenate([np.load(f) for f in sorted(glob.glob(f"{store}/residual/layer_{layer}/shard_*.npy"))]).astype(np.float32)
                xt, yt, xs, ys = x[s == 0], y[s == 0], x[s == 2], y[s == 2]
                best = None
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    scaler = StandardScaler().fit(xt)
                    model = LogisticRegression(C=1.0 / (l2 * len(yt)), max_iter=1000).fit(scaler.transform(xt), yt)
                    t = time.perf_counter() - t0
                    best = t if best is None else min(best, t)
                acc = float((model.predict_proba(scaler.transform(xs))[:, 1] >= 0.5).astype(int).__eq__(ys).mean())
                out[layer] = {"seconds": best, "accuracy": acc}
            print(json.dumps(out))
            """;

    private LogisticPeerBenchmark() {}

    /** One layer's comparison. */
    public record LayerResult(int layer, double accuracy, double sklearnAccuracy, double seconds, double sklearnSeconds) {
        /** Accuracy difference in percentage points (Layerwise minus scikit-learn). */
        public double accuracyPoints() {
            return 100 * (accuracy - sklearnAccuracy);
        }

        /** Layerwise time over scikit-learn time: below 1 is faster. */
        public double timeRatio() {
            return seconds / sklearnSeconds;
        }
    }

    /** All layers, and the machine. */
    public record Result(List<LayerResult> layers, String machine) {
        public double totalTimeRatio() {
            return layers.stream().mapToDouble(LayerResult::seconds).sum() / layers.stream().mapToDouble(LayerResult::sklearnSeconds).sum();
        }

        public double worstAccuracyPoints() {
            return layers.stream().mapToDouble(r -> Math.abs(r.accuracyPoints())).max().orElse(0);
        }
    }

    public static Result run(ActivationStore store, double l2, int repeats, String python) {
        List<Integer> layers = store.manifest().tap(ActivationTap.RESIDUAL).layers();
        JsonNode sklearn = runPython(python, store, l2, repeats, layers);
        List<LayerResult> results = new ArrayList<>();
        ProbeTrainer trainer = new ProbeTrainer(ProbeKind.LOGISTIC, MlpSettings.DEFAULT,
                new LogisticSettings(LogisticSettings.LBFGS, l2, null, null, null, null, null), ClassWeighting.NONE, ThresholdRule.HALF, 42);
        for (int layer : layers) {
            LayerRows rows = LayerRows.read(store, ActivationTap.RESIDUAL, layer);
            TrainedProbe probe = null;
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < repeats; r++) {
                probe = trainer.train(layer, rows, loss -> {});
                best = Math.min(best, probe.seconds());
            }
            JsonNode peer = sklearn.get(String.valueOf(layer));
            results.add(new LayerResult(layer, probe.test().accuracy(), peer.get("accuracy").asDouble(), best,
                    peer.get("seconds").asDouble()));
        }
        return new Result(results, MachineInfo.current().toString());
    }

    private static JsonNode runPython(String python, ActivationStore store, double l2, int repeats, List<Integer> layers) {
        List<String> command = List.of(python, "-c", SCRIPT, store.directory().toString(), String.valueOf(l2),
                String.valueOf(repeats), String.join(",", layers.stream().map(String::valueOf).toList()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String text = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new DatasetException(python + " with scikit-learn failed (apt-get install python3-sklearn): " + text);
            }
            return new ObjectMapper().readTree(text.substring(text.indexOf('{')));
        } catch (IOException e) {
            throw new DatasetException("cannot run " + python + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DatasetException("interrupted while scikit-learn ran", e);
        }
    }
}
