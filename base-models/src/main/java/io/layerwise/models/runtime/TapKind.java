package io.layerwise.models.runtime;

/**
 * What a forward pass can capture. Residual taps are indexed like Hugging Face's
 * {@code hidden_states} (0 = embeddings, i = output of block i-1, and for decoders the last entry
 * has the final norm applied); every other per-layer tap is indexed by block, 0 to L-1.
 */
public enum TapKind {
    /** Residual stream, {@code [batch, seq, H]}, indices 0..L. */
    RESIDUAL,
    /** What the attention reads: the normed hidden state (pre-norm) or the block input (post-norm), {@code [batch, seq, H]}. */
    ATTENTION_INPUT,
    /** Per-head attention outputs = input of the output projection, {@code [batch, seq, heads, headDim]}. */
    HEAD_OUTPUTS,
    /** Input of the MLP down projection, {@code [batch, seq, I]}. */
    MLP_CHANNELS,
    /** Post-softmax attention probabilities, {@code [batch, heads, seq, seq]}. */
    ATTENTION_PROBS,
    /** Decoder logits {@code [batch, seq, vocab]}; not per layer. */
    LOGITS,
    /**
     * Decoder logits of the last column only, {@code [batch, vocab]}: the next-token distribution of
     * every row of a left-padded batch, without the LM head's cost on every other position.
     */
    NEXT_TOKEN_LOGITS
}
