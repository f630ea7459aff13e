package io.layerwise.trainers.router;

import io.layerwise.models.config.AttentionSpec.LayerAttention;
import io.layerwise.models.config.TransformerSpec;

/**
 * Attention FLOPs per token when each token uses only some heads of each block, counted like
 * {@link io.layerwise.models.runtime.FlopsAccounting} (2 FLOPs per multiply-accumulate): a head a
 * token does not use costs it nothing of its query rows, its {@code QK^T} and {@code PV} products, or
 * its columns of the output projection; keys and values are still computed for every token (other
 * tokens may use those heads). A router adds its own scores, {@code 2 H n} for n routed heads (plus
 * {@code 4 H} for the two-way weighting).
 *
 * <pre>{@code
 * double dense = new AttentionFlops(spec).perToken(activeAll, 128, 0);
 * }</pre>
 */
public record AttentionFlops(TransformerSpec spec) {

    /**
     * Mean attention FLOPs per token over a sequence of {@code length} tokens.
     *
     * @param activeHeads heads each token uses, per block
     * @param routerFlops router FLOPs per token, summed over blocks
     */
    public double perToken(int[] activeHeads, int length, double routerFlops) {
        long h = spec.hiddenSize();
        int d = spec.headDim();
        double total = routerFlops;
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            double keys = meanKeys(spec.attention().layer(layer), length);
            double perHead = 2.0 * h * d // query rows
                    + 2.0 * 2 * d * keys // QK^T and PV
                    + 2.0 * d * h; // output projection columns
            total += activeHeads[layer] * perHead + 2.0 * 2 * h * spec.numKvHeads() * d;
        }
        return total;
    }

    /** Every head of every block. */
    public int[] allHeads() {
        int[] heads = new int[spec.numLayers()];
        java.util.Arrays.fill(heads, spec.numHeads());
        return heads;
    }

    private double meanKeys(LayerAttention pattern, int length) {
        double keys = 0;
        for (int p = 0; p < length; p++) {
            int visible = spec.causal() ? p + 1 : length;
            keys += pattern.isSliding() ? Math.min(visible, pattern.slidingWindow()) : visible;
        }
        return keys / length;
    }
}
