package io.layerwise.models.families;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.config.TransformerSpec;

/**
 * The language-model head of a decoder: the token table itself when embeddings are tied (HF then
 * drops {@code lm_head.weight} from the checkpoint, or saves an identical copy that is skipped),
 * otherwise {@code lm_head.weight}.
 */
final class OutputEmbedding {
    private OutputEmbedding() {}

    static NDArray bind(WeightBinder checkpoint, NDArray tokens, TransformerSpec spec) {
        if (spec.tiedEmbeddings()) {
            if (checkpoint.has("lm_head.weight")) {
                checkpoint.ignore("lm_head.weight");
            }
            return tokens;
        }
        return checkpoint.tensor("lm_head.weight", spec.vocabSize(), spec.hiddenSize());
    }
}
