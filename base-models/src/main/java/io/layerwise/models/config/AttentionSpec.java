package io.layerwise.models.config;

import java.util.Collections;
import java.util.List;

/**
 * How a model's attention layers score keys: the score scale, optional logit soft-capping, and per
 * layer the rotary embedding and whether the layer attends to a sliding window or to every earlier
 * key (Gemma 3 interleaves the two, each with its own RoPE base).
 *
 * @param scale multiplies {@code q . k}: {@code headDim^-0.5} for most families, Gemma's
 *     {@code query_pre_attn_scalar^-0.5}
 * @param logitSoftcap {@code scores <- cap * tanh(scores / cap)} when positive (0: none)
 * @param layers one entry per block
 */
public record AttentionSpec(float scale, float logitSoftcap, List<LayerAttention> layers) {

    /**
     * One block's attention pattern.
     *
     * @param rope rotary embedding, or null for learned absolute positions
     * @param slidingWindow query i sees key j only when {@code 0 <= i - j < slidingWindow}; 0 for full attention
     */
    public record LayerAttention(RopeSpec rope, int slidingWindow) {
        public boolean isSliding() {
            return slidingWindow > 0;
        }
    }

    public AttentionSpec {
        layers = List.copyOf(layers);
    }

    /** The common case: {@code 1/sqrt(headDim)}, no soft-capping, the same full attention in every layer. */
    public static AttentionSpec uniform(int numLayers, int headDim, RopeSpec rope) {
        return new AttentionSpec((float) (1.0 / Math.sqrt(headDim)), 0f,
                Collections.nCopies(numLayers, new LayerAttention(rope, 0)));
    }

    public LayerAttention layer(int index) {
        return layers.get(index);
    }
}
