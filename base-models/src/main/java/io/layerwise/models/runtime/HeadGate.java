package io.layerwise.models.runtime;

import ai.djl.ndarray.NDArray;

/**
 * Per-token head weights computed inside the forward pass, e.g. by a trained Mixture-of-Heads
 * router: given a block's attention input it returns a weight per token and head, which multiplies
 * that head's output before the output projection (0 drops the head for that token).
 */
@FunctionalInterface
public interface HeadGate {

    /**
     * @param layer block index
     * @param attentionInput {@code [batch, seq, H]}, the tensor the attention reads
     * @return {@code [batch, seq, heads]} weights, or null to leave this layer dense
     */
    NDArray gates(int layer, NDArray attentionInput);
}
