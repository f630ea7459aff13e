package io.layerwise.trainers.probes;

import io.layerwise.checkpoints.bundle.AffineLayer;
import java.util.List;

/**
 * A probe trained on one layer, in the portable form it is exported in: the standardization, then
 * affine layers in PyTorch's {@code nn.Linear} layout with {@code activation} between them, ending in
 * one logit whose sigmoid is the probability of class 1. (Training used a 2-way softmax for class
 * weights; {@code softmax(z)_1 = sigmoid(z_1 - z_0)}, so the exported logit is that difference and
 * gives the same probabilities.)
 *
 * @param kind MLP or logistic
 * @param layer the activation-store layer it reads
 * @param standardizer fitted on the training rows
 * @param layers affine layers, input first; the last has one output
 * @param activation between affine layers ({@code relu}, {@code tanh}, {@code sigmoid}); unused for logistic
 * @param threshold decision threshold on the probability
 * @param thresholdChosenBy {@code fixed} or {@code validation_f1}
 * @param validation metrics on the validation split at {@code threshold}
 * @param test metrics on the test split at {@code threshold}
 * @param curve per-epoch losses
 * @param bestEpoch the epoch whose weights were kept (lowest validation loss)
 * @param seconds training time
 */
public record TrainedProbe(ProbeKind kind, int layer, Standardizer standardizer, List<AffineLayer> layers,
        String activation, double threshold, String thresholdChosenBy, BinaryMetrics validation, BinaryMetrics test, List<EpochLoss> curve,
        int bestEpoch, double seconds) {

    public TrainedProbe {
        layers = List.copyOf(layers);
        curve = List.copyOf(curve);
    }

    /**
     * The logistic probe's weight vector mapped back to raw activation space and unit-normalized (Eq. 2):
     * on standardized features the logit is {@code w.((x - mu) / s) + b}, so its gradient in {@code x} is
     * {@code w / s}.
     */
    public float[] rawDirection() {
        if (kind != ProbeKind.LOGISTIC) {
            throw new IllegalStateException("only a logistic probe has one weight vector");
        }
        float[] w = layers.get(0).weight()[0];
        float[] v = new float[w.length];
        for (int j = 0; j < w.length; j++) {
            v[j] = w[j] / standardizer.std()[j];
        }
        return UnitVectors.normalize(v);
    }
}
