package io.layerwise.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * Input embeddings: token table, and where the family has them, learned absolute positions (GPT-2,
 * BERT), token types (BERT, type 0 is used) and a norm over their sum (BERT).
 *
 * @param tokens {@code [vocab, H]}
 * @param positions {@code [maxPositions, H]} or null
 * @param tokenTypes {@code [typeVocab, H]} or null
 * @param norm applied to the sum, or null
 */
public record EmbeddingWeights(NDArray tokens, NDArray positions, NDArray tokenTypes, Norm norm) {}
