package io.layerwise.models.families;

import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.precision.WeightMatrix;

/**
 * The language-model head of a decoder: the token table itself when embeddings are tied (HF then
 * drops {@code lm_head.weight} from the checkpoint, or saves an identical copy that is skipped),
 * otherwise {@code lm_head.weight}.
 */
final class OutputEmbedding {
    private OutputEmbedding() {}

    static WeightMatrix bind(WeightBinder checkpoint, WeightMatrix tokens, TransformerSpec spec) {
        if (spec.tiedEmbeddings()) {
            if (checkpoint.has("lm_head.weight")) {
                checkpoint.ignore("lm_head.weight");
            }
            return tokens;
        }
        return checkpoint.matrix("lm_head.weight", spec.vocabSize(), spec.hiddenSize());
    }
}
