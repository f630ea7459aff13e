package io.layerwise.models.runtime;

/**
 * Multiplicative masks on the input channels of one block's attention output projection
 * ({@code heads * headDim} channels, head-major) and MLP down projection ({@code I} channels).
 * A 0 removes a channel; values between 0 and 1 scale it.
 *
 * @param attention mask of length {@code heads * headDim}, or null to leave the attention as is
 * @param mlp mask of length {@code intermediateSize}, or null to leave the MLP as is
 */
public record ChannelMask(float[] attention, float[] mlp) {

    public ChannelMask {
        attention = attention == null ? null : attention.clone();
        mlp = mlp == null ? null : mlp.clone();
    }

    @Override
    public float[] attention() {
        return attention == null ? null : attention.clone();
    }

    @Override
    public float[] mlp() {
        return mlp == null ? null : mlp.clone();
    }
}
