package io.layerwise.models.nn;

/**
 * The projections of one self-attention layer.
 *
 * @param query {@code [heads*headDim, H]}
 * @param key {@code [kvHeads*headDim, H]}
 * @param value {@code [kvHeads*headDim, H]}
 * @param output the output projection, {@code [H, heads*headDim]}; its input is the per-head outputs
 * @param queryNorm per-head RMSNorm applied to queries before RoPE (Qwen3), or null
 * @param keyNorm per-head RMSNorm applied to keys before RoPE (Qwen3), or null
 */
public record AttentionWeights(Linear query, Linear key, Linear value, Linear output, Norm queryNorm, Norm keyNorm) {}
