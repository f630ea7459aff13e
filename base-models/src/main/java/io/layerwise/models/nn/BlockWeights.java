package io.layerwise.models.nn;

/**
 * One transformer block. In a pre-norm block {@code attentionNorm} and {@code mlpNorm} are applied to
 * the sub-layer inputs; in a post-norm (BERT) block they are applied after each residual addition.
 */
public record BlockWeights(Norm attentionNorm, AttentionWeights attention, Norm mlpNorm, MlpWeights mlp) {}
