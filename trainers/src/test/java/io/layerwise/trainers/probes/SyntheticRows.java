package io.layerwise.trainers.probes;

import io.layerwise.checkpoints.bundle.ProbeCard;
import io.layerwise.datasets.store.ActivationTap;
import java.util.Map;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Seeded synthetic probe data: two Gaussian classes, or the XOR of two signs, with labels 0/1. */
final class SyntheticRows {
    private SyntheticRows() {}

    /** Class 1 is shifted by {@code shift} along a fixed random unit direction; features have unequal scales. */
    static LayerRows.Labelled gaussians(int n, int d, double shift, long seed) {
        Random random = new Random(seed);
        Random fixed = new Random(7);
        double[] direction = new double[d];
        double norm = 0;
        for (int j = 0; j < d; j++) {
            direction[j] = fixed.nextGaussian();
            norm += direction[j] * direction[j];
        }
        float[][] x = new float[n][d];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            y[i] = random.nextDouble() < 0.4 ? 1 : 0;
            for (int j = 0; j < d; j++) {
                double scale = 1 + j % 4;
                x[i][j] = (float) (scale * (random.nextGaussian() + y[i] * shift * direction[j] / Math.sqrt(norm)) + j);
            }
        }
        return new LayerRows.Labelled(Nd4j.createFromArray(x), y);
    }

    /** Label = sign(x0) != sign(x1): no linear probe can beat chance; an MLP can. */
    static LayerRows.Labelled xor(int n, int d, long seed) {
        Random random = new Random(seed);
        float[][] x = new float[n][d];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = (float) random.nextGaussian();
            }
            y[i] = (x[i][0] > 0) != (x[i][1] > 0) ? 1 : 0;
        }
        return new LayerRows.Labelled(Nd4j.createFromArray(x), y);
    }

    private static final ProbeArtifacts TEST_PROVENANCE = new ProbeArtifacts(
            new ProbeCard.BaseModel("synthetic", "sha256:synthetic", "none", "f32"), ActivationTap.RESIDUAL, "mean", 16,
            "right", "sha256:synthetic-data", 42, Map.of());

    /** A trained probe's probabilities on raw rows, computed by its exported bundle. */
    static double[] probabilities(TrainedProbe probe, INDArray rows) {
        return TEST_PROVENANCE.bundle(probe).probabilities(rows.toFloatMatrix());
    }

    static String csv(LayerRows.Labelled rows) {
        StringBuilder out = new StringBuilder();
        float[][] x = rows.features().toFloatMatrix();
        for (int i = 0; i < x.length; i++) {
            out.append(rows.labels()[i]);
            for (float v : x[i]) {
                out.append(',').append(v);
            }
            out.append('\n');
        }
        return out.toString();
    }
}
