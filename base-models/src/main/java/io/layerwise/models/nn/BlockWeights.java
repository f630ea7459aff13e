package io.layerwise.models.nn;

/**
 * One transformer block. In a pre-norm block {@code attentionNorm} and {@code mlpNorm} are applied to
 * the sub-layer inputs, and (Gemma 3) {@code attentionOutputNorm} / {@code mlpOutputNorm} to the
 * sub-layer outputs before they join the residual stream; in a post-norm (BERT) block
 * {@code attentionNorm} and {@code mlpNorm} are applied after each residual addition.
 *
 * @param attentionOutputNorm norm of the attention output before the residual addition, or null
 * @param mlpOutputNorm norm of the MLP output before the residual addition, or null
 */
public record BlockWeights(Norm attentionNorm, AttentionWeights attention, Norm mlpNorm, MlpWeights mlp,
        Norm attentionOutputNorm, Norm mlpOutputNorm) {

    /** A block without output norms (every family but Gemma 3). */
    public BlockWeights(Norm attentionNorm, AttentionWeights attention, Norm mlpNorm, MlpWeights mlp) {
        this(attentionNorm, attention, mlpNorm, mlp, null, null);
    }
}
