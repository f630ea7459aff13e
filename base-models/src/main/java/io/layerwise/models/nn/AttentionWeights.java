package io.layerwise.models.nn;

/**
 * The projections of one self-attention layer. A layer whose heads were pruned (see
 * {@code io.layerwise.models.runtime.ChannelPruning}) has fewer query rows than the config says; its
 * head counts come from the matrices themselves, and {@code kvHeadOfQuery} says which of its
 * key/value heads each remaining query head reads when they no longer form equal groups.
 *
 * @param query {@code [heads*headDim, H]}
 * @param key {@code [kvHeads*headDim, H]}
 * @param value {@code [kvHeads*headDim, H]}
 * @param output the output projection, {@code [H, heads*headDim]}; its input is the per-head outputs
 * @param queryNorm per-head RMSNorm applied to queries before RoPE (Qwen3), or null
 * @param keyNorm per-head RMSNorm applied to keys before RoPE (Qwen3), or null
 * @param kvHeadOfQuery per query head, the index of the key/value head it reads; null for the
 *     standard grouping (query head {@code h} reads key/value head {@code h / (heads / kvHeads)})
 */
public record AttentionWeights(Linear query, Linear key, Linear value, Linear output, Norm queryNorm, Norm keyNorm,
        int[] kvHeadOfQuery) {

    public AttentionWeights {
        kvHeadOfQuery = kvHeadOfQuery == null ? null : kvHeadOfQuery.clone();
    }

    /** Attention with the standard grouping of query heads over key/value heads (every checkpoint as loaded). */
    public AttentionWeights(Linear query, Linear key, Linear value, Linear output, Norm queryNorm, Norm keyNorm) {
        this(query, key, value, output, queryNorm, keyNorm, null);
    }

    @Override
    public int[] kvHeadOfQuery() {
        return kvHeadOfQuery == null ? null : kvHeadOfQuery.clone();
    }
}
