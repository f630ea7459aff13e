package io.layerwise.trainers.probes;

import io.layerwise.checkpoints.bundle.AffineLayer;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

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
 * @param validation metrics on the validation split at {@code threshold}
 * @param test metrics on the test split at {@code threshold}
 * @param curve per-epoch losses
 * @param bestEpoch the epoch whose weights were kept (lowest validation loss)
 * @param seconds training time
 */
public record TrainedProbe(ProbeKind kind, int layer, Standardizer standardizer, List<AffineLayer> layers,
        String activation, double threshold, BinaryMetrics validation, BinaryMetrics test, List<EpochLoss> curve,
        int bestEpoch, double seconds) {

    public TrainedProbe {
        layers = List.copyOf(layers);
        curve = List.copyOf(curve);
    }

    /** Probability of class 1 for raw (unstandardized) rows {@code [n, d]}. */
    public double[] probabilities(INDArray rows) {
        INDArray x = standardizer.apply(rows);
        for (int i = 0; i < layers.size(); i++) {
            AffineLayer layer = layers.get(i);
            x = x.mmul(Nd4j.createFromArray(layer.weight()).transpose()).addiRowVector(Nd4j.createFromArray(layer.bias()));
            if (i < layers.size() - 1) {
                x = switch (activation) {
                    case "relu" -> Transforms.relu(x, false);
                    case "tanh" -> Transforms.tanh(x, false);
                    case "sigmoid" -> Transforms.sigmoid(x, false);
                    default -> throw new IllegalStateException("unknown activation " + activation);
                };
            }
        }
        return Transforms.sigmoid(x, false).toDoubleVector();
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
