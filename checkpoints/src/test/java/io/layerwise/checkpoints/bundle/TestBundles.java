package io.layerwise.checkpoints.bundle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Cards and seeded random probes for bundle tests. */
final class TestBundles {
    static final String FINGERPRINT = "sha256:0123456789abcdef";

    private TestBundles() {}

    static ProbeCard.BaseModel baseModel() {
        return new ProbeCard.BaseModel("all-minilm-l6-v2", FINGERPRINT, "bert", "f32");
    }

    static ProbeCard probeCard(BundleKind kind, int layer, float[] mean, float[] std, double testF1) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put(ProbeCard.TEST_F1, testF1);
        metrics.put("test_accuracy", 0.9);
        return new ProbeCard(TensorBundle.FORMAT, kind, baseModel(), layer, "residual", "mean", 128, "right", mean.length,
                kind == BundleKind.MLP ? ProbeActivation.RELU : null, ProbeCard.OUTPUT_PROBABILITY,
                new ProbeCard.Standardization(mean, std), new ProbeCard.Threshold(0.5, "fixed"), null, metrics,
                Map.of("hidden_size", 8, "learning_rate", 0.001), "sha256:data", 42, "2026-11-24T12:00:00Z", "0.1.0");
    }

    static ProbeCard directionCard(String method, int layer, int dim, double testF1) {
        return new ProbeCard(TensorBundle.FORMAT, BundleKind.DIRECTION, baseModel(), layer, "residual", "mean", 128, "right",
                dim, null, null, null, null, method, Map.of(ProbeCard.TEST_F1, testF1), Map.of(), "sha256:data", 42,
                "2026-11-24T12:00:00Z", "0.1.0");
    }

    /** The same card with another activation and threshold. */
    static ProbeCard with(ProbeCard c, ProbeActivation activation, ProbeCard.Threshold threshold) {
        return new ProbeCard(c.format(), c.kind(), c.baseModel(), c.layer(), c.tap(), c.pooling(), c.maxLength(),
                c.paddingSide(), c.dim(), activation, c.output(), c.standardization(), threshold, c.method(), c.metrics(),
                c.trainingConfig(), c.datasetFingerprint(), c.seed(), c.createdAt(), c.layerwiseVersion());
    }

    /** A probe with seeded Gaussian weights (scaled 1/sqrt(fan-in)) and standardization. */
    static ProbeBundle randomProbe(BundleKind kind, int dim, int hidden, long seed, int layer, double testF1) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] mean = gaussian(random, dim, 1.0);
        float[] std = new float[dim];
        for (int i = 0; i < dim; i++) {
            std[i] = (float) (0.5 + random.nextDouble());
        }
        ProbeCard card = probeCard(kind, layer, mean, std, testF1);
        if (kind == BundleKind.LOGISTIC) {
            return new ProbeBundle(card, List.of(layer(random, 1, dim)));
        }
        return new ProbeBundle(card, List.of(layer(random, hidden, dim), layer(random, 1, hidden)));
    }

    static DirectionBundle randomDirection(String method, int dim, long seed, int layer, double testF1) {
        float[] v = gaussian(new SplittableRandom(seed), dim, 1.0);
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        for (int i = 0; i < dim; i++) {
            v[i] /= (float) Math.sqrt(norm);
        }
        return new DirectionBundle(directionCard(method, layer, dim, testF1), v);
    }

    static AffineLayer layer(SplittableRandom random, int out, int in) {
        float[][] w = new float[out][];
        for (int o = 0; o < out; o++) {
            w[o] = gaussian(random, in, 1.0 / Math.sqrt(in));
        }
        return new AffineLayer(w, gaussian(random, out, 0.1));
    }

    static float[][] rows(long seed, int n, int dim) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] rows = new float[n][];
        for (int r = 0; r < n; r++) {
            rows[r] = gaussian(random, dim, 2.0);
        }
        return rows;
    }

    static float[] gaussian(SplittableRandom random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller: SplittableRandom has no nextGaussian on JDK 17
            double u = 1.0 - random.nextDouble();
            v[i] = (float) (scale * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.nextDouble()));
        }
        return v;
    }
}
