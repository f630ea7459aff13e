package io.layerwise.models.config;

import io.layerwise.models.nn.Activation;

/**
 * The shape of a transformer as the runtime needs it, resolved from {@code config.json} with the
 * family's defaults filled in. Everything that differs between families and that the shared forward
 * pass must know is here; weight names are the adapters' business.
 *
 * @param modelType the config's {@code model_type}
 * @param hiddenSize residual width H
 * @param numLayers number of blocks L
 * @param numHeads query heads
 * @param numKvHeads key/value heads (grouped-query attention when fewer than query heads)
 * @param headDim width of one head (explicit in Qwen3 configs, otherwise H / heads)
 * @param intermediateSize MLP width (the down projection's input channels)
 * @param vocabSize vocabulary size
 * @param maxPositions longest sequence the position embeddings or RoPE were trained for
 * @param layout where the norms sit in a block
 * @param normEps epsilon of every norm
 * @param activation MLP non-linearity
 * @param gatedMlp {@code down(act(gate(x)) * up(x))} rather than {@code down(act(up(x)))}
 * @param biases which linear layers carry a bias
 * @param causal decoder (causal mask, logits) rather than encoder
 * @param attention score scale, soft-capping, and per layer RoPE and sliding window
 * @param typeVocabSize BERT token-type embeddings (0 when absent)
 * @param padTokenId id used to pad batches
 * @param tiedEmbeddings the output embedding is the token table ({@code tie_word_embeddings})
 * @param embeddingScale multiplies the token embeddings (Gemma: {@code sqrt(H)}; otherwise 1)
 * @param finalLogitSoftcap {@code logits <- cap * tanh(logits / cap)} when positive (0: none)
 */
public record TransformerSpec(
        String modelType,
        int hiddenSize,
        int numLayers,
        int numHeads,
        int numKvHeads,
        int headDim,
        int intermediateSize,
        int vocabSize,
        int maxPositions,
        BlockLayout layout,
        float normEps,
        Activation activation,
        boolean gatedMlp,
        Biases biases,
        boolean causal,
        AttentionSpec attention,
        int typeVocabSize,
        long padTokenId,
        boolean tiedEmbeddings,
        float embeddingScale,
        float finalLogitSoftcap) {

    /**
     * Which projections carry a bias vector.
     *
     * @param qkv query, key and value projections
     * @param output the attention output projection
     * @param mlp the MLP projections
     */
    public record Biases(boolean qkv, boolean output, boolean mlp) {
        public static final Biases ALL = new Biases(true, true, true);
    }

    /** Where the norms of a block sit. */
    public enum BlockLayout {
        /** {@code h += attn(norm1(h)); h += mlp(norm2(h))}, with a final norm (GPT-2, Llama, Qwen). */
        PRE_NORM,
        /** {@code h = norm1(h + attn(h)); h = norm2(h + mlp(h))}, no final norm (BERT). */
        POST_NORM
    }

    public TransformerSpec {
        if (numHeads == 0 || numKvHeads == 0 || numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException(modelType + ": " + numHeads + " query heads cannot be grouped over "
                    + numKvHeads + " key/value heads");
        }
        if (attention.layers().size() != numLayers) {
            throw new IllegalArgumentException(modelType + ": " + attention.layers().size() + " attention patterns for "
                    + numLayers + " layers");
        }
    }

    /** Width of the attention output projection's input, {@code heads * headDim}. */
    public int attentionWidth() {
        return numHeads * headDim;
    }

    /** Query heads that share one key/value head. */
    public int headsPerKvHead() {
        return numHeads / numKvHeads;
    }
}
