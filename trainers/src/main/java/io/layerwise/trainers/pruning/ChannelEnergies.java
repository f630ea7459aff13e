package io.layerwise.trainers.pruning;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.List;

/**
 * Per-channel energy of the inputs of the attention output projection (per head, head-major) and of the
 * MLP down projection at some blocks: the mean of the squared activation over every real token of a
 * set of sequences (padding excluded), Probe Pruning's {@code ||X_j||^2 / n}.
 *
 * @param layers the block indices, in order
 * @param attention per layer, {@code heads * headDim} energies
 * @param mlp per layer, {@code intermediateSize} energies
 * @param tokens real tokens averaged over
 */
public record ChannelEnergies(List<Integer> layers, float[][] attention, float[][] mlp, long tokens) {

    public ChannelEnergies {
        layers = List.copyOf(layers);
        if (attention.length != layers.size() || mlp.length != layers.size()) {
            throw new IllegalArgumentException("one attention and one MLP vector per layer");
        }
    }

    /** The row of block {@code layer}. */
    public int indexOf(int layer) {
        int i = layers.indexOf(layer);
        if (i < 0) {
            throw new IllegalArgumentException("block " + layer + " has no energies here (blocks " + layers + ")");
        }
        return i;
    }

    /** Energies of {@code sequences} run through {@code model} in left-padded batches of {@code batchSize}. */
    public static ChannelEnergies measure(FrozenTransformer model, List<long[]> sequences, List<Integer> layers, int batchSize) {
        Meter meter = new Meter(layers, model.spec().attentionWidth(), model.spec().intermediateSize());
        Taps taps = Taps.of(TapKind.HEAD_OUTPUTS, TapKind.MLP_CHANNELS).onLayers(new java.util.TreeSet<>(layers));
        for (int from = 0; from < sequences.size(); from += batchSize) {
            TokenBatch batch = TokenBatch.of(sequences.subList(from, Math.min(sequences.size(), from + batchSize)),
                    PaddingSide.LEFT, model.spec().padTokenId());
            try (ForwardResult r = model.forward(batch, taps)) {
                meter.add(r);
            }
        }
        return meter.energies();
    }

    /** Sums of squares accumulated batch by batch. */
    static final class Meter {
        private final List<Integer> layers;
        private final double[][] attention;
        private final double[][] mlp;
        private long tokens;

        Meter(List<Integer> layers, int attentionWidth, int mlpWidth) {
            this.layers = List.copyOf(layers);
            attention = new double[layers.size()][attentionWidth];
            mlp = new double[layers.size()][mlpWidth];
        }

        /** Adds a pass that tapped head outputs and MLP channels at every layer of this meter. */
        void add(ForwardResult r) {
            TokenBatch batch = r.batch();
            tokens += batch.realTokens();
            float[] mask = new float[batch.size() * batch.width()];
            for (int b = 0; b < batch.size(); b++) {
                for (int t = 0; t < batch.width(); t++) {
                    mask[b * batch.width() + t] = batch.mask()[b][t];
                }
            }
            for (int i = 0; i < layers.size(); i++) {
                int layer = layers.get(i);
                NDArray heads = r.headOutputs(layer);
                NDManager m = heads.getManager();
                NDArray valid = m.create(mask, new Shape(batch.size(), batch.width(), 1));
                addSquares(attention[i], heads.reshape(batch.size(), batch.width(), -1), valid);
                addSquares(mlp[i], r.mlpChannels(layer), valid);
            }
        }

        private static void addSquares(double[] sums, NDArray channels, NDArray valid) {
            try (NDArray squares = channels.mul(valid).square().sum(new int[] {0, 1})) {
                float[] s = squares.toFloatArray();
                for (int c = 0; c < s.length; c++) {
                    sums[c] += s[c];
                }
            }
        }

        ChannelEnergies energies() {
            float[][] a = new float[layers.size()][];
            float[][] m = new float[layers.size()][];
            for (int i = 0; i < layers.size(); i++) {
                a[i] = mean(attention[i]);
                m[i] = mean(mlp[i]);
            }
            return new ChannelEnergies(layers, a, m, tokens);
        }

        private float[] mean(double[] sums) {
            float[] out = new float[sums.length];
            for (int c = 0; c < sums.length; c++) {
                out[c] = tokens == 0 ? 0f : (float) (sums[c] / tokens);
            }
            return out;
        }
    }
}
