package io.layerwise.models.runtime;

import io.layerwise.models.ModelException;

/**
 * What a model will be asked to do, for the memory preflight: the largest batch, its padded length,
 * the tokens generated after it (0 for a plain forward pass; they are what the KV cache holds beyond
 * the prompt) and what is tapped.
 *
 * <pre>{@code
 * Workload extraction = Workload.forward(8, 128, Taps.of(TapKind.RESIDUAL));
 * Workload chat = Workload.generation(1, 200, 64);
 * }</pre>
 *
 * @param batchSize sequences per forward pass
 * @param tokens padded tokens per sequence (the prompt, for generation)
 * @param newTokens tokens generated after the prompt, held in the KV cache; 0 for a forward pass
 * @param taps what each pass keeps
 */
public record Workload(int batchSize, int tokens, int newTokens, Taps taps) {

    public Workload {
        if (batchSize < 1 || tokens < 1 || newTokens < 0) {
            throw new ModelException("a workload needs batch >= 1, tokens >= 1 and new tokens >= 0; got batch "
                    + batchSize + ", tokens " + tokens + ", new tokens " + newTokens);
        }
    }

    /** One short sequence with nothing tapped: checks only that the weights fit. */
    public static Workload minimal() {
        return new Workload(1, 1, 0, Taps.of());
    }

    public static Workload forward(int batchSize, int tokens, Taps taps) {
        return new Workload(batchSize, tokens, 0, taps);
    }

    /** Greedy generation with the KV cache: the prompt pass, then one token at a time. */
    public static Workload generation(int batchSize, int promptTokens, int newTokens) {
        return new Workload(batchSize, promptTokens, newTokens, Taps.of(TapKind.NEXT_TOKEN_LOGITS));
    }

    public Workload withBatchSize(int size) {
        return new Workload(size, tokens, newTokens, taps);
    }

    public Workload withTaps(Taps replaced) {
        return new Workload(batchSize, tokens, newTokens, replaced);
    }
}
