package io.layerwise.models.nn;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.precision.WeightMatrix;

/**
 * Input embeddings: token table, and where the family has them, learned absolute positions (GPT-2,
 * BERT), token types (BERT, type 0 is used) and a norm over their sum (BERT). The token table is a
 * {@link WeightMatrix} so that a bf16 checkpoint's table (often the LM head too) stays mapped in bf16;
 * lookups return float32.
 *
 * @param tokens {@code [vocab, H]}
 * @param positions {@code [maxPositions, H]} or null
 * @param tokenTypes {@code [typeVocab, H]} or null
 * @param norm applied to the sum, or null
 */
public record EmbeddingWeights(WeightMatrix tokens, NDArray positions, NDArray tokenTypes, Norm norm) {

    /** Embeddings with a float32 token table. */
    public EmbeddingWeights(NDArray tokens, NDArray positions, NDArray tokenTypes, Norm norm) {
        this(WeightMatrix.of(tokens), positions, tokenTypes, norm);
    }
}
