package io.layerwise.trainers.eval;

import io.layerwise.models.ModelException;
import io.layerwise.models.tokenizer.TextTokenizer;
import java.util.Arrays;

/**
 * The single token a continuation adds to a prompt, found the robust way: tokenize the prompt and
 * the prompt plus the continuation, and require the first to be a prefix of the second with exactly
 * one token more. This is what "log-likelihood of the answer letter" means whatever the tokenizer
 * does with spaces or special tokens.
 */
final class TokenCandidates {
    private TokenCandidates() {}

    static long[] continuationTokens(TextTokenizer tokenizer, String prompt, long[] promptIds, String[] continuations) {
        long[] ids = new long[continuations.length];
        for (int c = 0; c < continuations.length; c++) {
            long[] extended = tokenizer.encode(prompt + continuations[c], 0);
            boolean prefix = extended.length == promptIds.length + 1
                    && Arrays.equals(Arrays.copyOf(extended, promptIds.length), promptIds);
            if (!prefix) {
                throw new ModelException("the answer '" + continuations[c] + "' is not one token after the prompt for this"
                        + " tokenizer; multiple-choice scoring needs single-token answers");
            }
            ids[c] = extended[extended.length - 1];
        }
        return ids;
    }
}
