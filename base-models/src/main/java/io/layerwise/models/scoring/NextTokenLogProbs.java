package io.layerwise.models.scoring;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.ModelException;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.List;

/**
 * Log-probabilities of candidate next tokens after each prompt (log-softmax over the whole
 * vocabulary, float32): how multiple-choice items are scored, e.g. the answer letters {@code " A"}
 * to {@code " D"} after {@code "Answer:"}. Prompts run together in one left-padded batch, so every
 * row's last column is its last real token.
 *
 * <pre>{@code
 * float[][] scores = new NextTokenLogProbs(model, Interventions.none()).score(prompts, new long[] {320, 435, 387, 471});
 * }</pre>
 *
 * @param model a decoder
 * @param interventions applied in the forward pass (layer drop, ablations, ...)
 */
public record NextTokenLogProbs(FrozenTransformer model, Interventions interventions) {

    /** {@code [prompt][candidate]} log-probabilities. */
    public float[][] score(List<long[]> prompts, long[] candidateIds) {
        int vocab = model.spec().vocabSize();
        for (long id : candidateIds) {
            if (id < 0 || id >= vocab) {
                throw new ModelException("candidate token id " + id + " is outside the vocabulary of " + vocab);
            }
        }
        TokenBatch batch = TokenBatch.of(prompts, PaddingSide.LEFT, model.spec().padTokenId());
        try (ForwardResult r = model.forward(batch, Taps.of(TapKind.NEXT_TOKEN_LOGITS), interventions)) {
            NDArray logProbs = r.nextTokenLogits().logSoftmax(-1);
            float[] flat = logProbs.toFloatArray();
            float[][] out = new float[prompts.size()][candidateIds.length];
            for (int b = 0; b < prompts.size(); b++) {
                for (int c = 0; c < candidateIds.length; c++) {
                    out[b][c] = flat[b * vocab + (int) candidateIds[c]];
                }
            }
            return out;
        }
    }
}
