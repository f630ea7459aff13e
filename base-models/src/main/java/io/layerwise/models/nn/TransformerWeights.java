package io.layerwise.models.nn;

import io.layerwise.models.precision.WeightMatrix;
import java.util.List;

/**
 * Every weight the shared forward pass reads, bound by a family adapter from a checkpoint.
 *
 * @param embeddings input embeddings
 * @param blocks one entry per layer
 * @param finalNorm the norm after the last block (decoders), or null (BERT)
 * @param lmHead output embedding {@code [vocab, H]} (the token table itself when tied), or null for encoders
 */
public record TransformerWeights(EmbeddingWeights embeddings, List<BlockWeights> blocks, Norm finalNorm,
        WeightMatrix lmHead) {}
