package io.layerwise.models.runtime;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.ModelException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Greedy decoding: at each step the argmax of the next-token logits is appended, for a batch of
 * left-padded prompts. With the KV cache each step runs only the new token; without it every step
 * re-runs the whole sequence (the reference the cache must reproduce exactly). A row stops at a stop
 * id (kept in its output) or at {@code maxNewTokens}; finished rows are fed their last token until
 * the whole batch is done, and their extra outputs are discarded.
 *
 * <pre>{@code
 * List<long[]> out = new GreedyDecoder(model, Interventions.none(), true).generate(List.of(prompt), 12, Set.of());
 * }</pre>
 *
 * @param model a decoder
 * @param interventions applied at every step (e.g. a refusal-direction ablation)
 * @param useCache run each step on the new token only, with a {@link KvCache}
 */
public record GreedyDecoder(FrozenTransformer model, Interventions interventions, boolean useCache) {

    public GreedyDecoder {
        if (!model.spec().causal()) {
            throw new ModelException(model.id() + " is an encoder (" + model.spec().modelType() + "): it cannot generate");
        }
    }

    /**
     * Decides after each new token whether a row is finished (e.g. a stop string appeared in its
     * decoded text); the token just produced is kept.
     */
    @FunctionalInterface
    public interface StopCondition {
        boolean isDone(long[] generatedSoFar);

        StopCondition NEVER = generated -> false;
    }

    /** The new tokens of every prompt, in order. */
    public List<long[]> generate(List<long[]> prompts, int maxNewTokens, Set<Long> stopIds) {
        return generate(prompts, maxNewTokens, stopIds, StopCondition.NEVER);
    }

    /** The new tokens of every prompt; a row also stops as soon as {@code stop} says so. */
    public List<long[]> generate(List<long[]> prompts, int maxNewTokens, Set<Long> stopIds, StopCondition stop) {
        if (maxNewTokens < 0) {
            throw new ModelException("max new tokens must be >= 0, got " + maxNewTokens);
        }
        int rows = prompts.size();
        List<List<Long>> generated = new ArrayList<>();
        boolean[] done = new boolean[rows];
        for (int b = 0; b < rows; b++) {
            generated.add(new ArrayList<>());
        }
        Taps next = Taps.of(TapKind.NEXT_TOKEN_LOGITS);
        long pad = model.spec().padTokenId();
        try (KvCache cache = useCache ? model.newCache() : null) {
            List<long[]> sequences = new ArrayList<>(prompts);
            TokenBatch step = TokenBatch.of(prompts, PaddingSide.LEFT, pad);
            for (int produced = 0; produced < maxNewTokens && !allTrue(done); produced++) {
                long[] chosen;
                try (ForwardResult r = model.forward(step, next, interventions, cache)) {
                    chosen = argmaxPerRow(r.nextTokenLogits());
                }
                for (int b = 0; b < rows; b++) {
                    if (!done[b]) {
                        generated.get(b).add(chosen[b]);
                        done[b] = stopIds.contains(chosen[b]) || generated.get(b).size() >= maxNewTokens
                                || stop.isDone(toArray(generated.get(b)));
                    }
                    long[] extended = Arrays.copyOf(sequences.get(b), sequences.get(b).length + 1);
                    extended[extended.length - 1] = chosen[b];
                    sequences.set(b, extended);
                }
                step = useCache ? singleColumn(chosen) : TokenBatch.of(sequences, PaddingSide.LEFT, pad);
            }
        }
        List<long[]> out = new ArrayList<>(rows);
        for (List<Long> tokens : generated) {
            out.add(toArray(tokens));
        }
        return out;
    }

    private static long[] toArray(List<Long> tokens) {
        return tokens.stream().mapToLong(Long::longValue).toArray();
    }

    private static TokenBatch singleColumn(long[] tokens) {
        long[][] ids = new long[tokens.length][1];
        int[][] mask = new int[tokens.length][1];
        for (int b = 0; b < tokens.length; b++) {
            ids[b][0] = tokens[b];
            mask[b][0] = 1;
        }
        return new TokenBatch(ids, mask);
    }

    /** Row-wise argmax; ties go to the lowest id, as {@code torch.argmax} does. */
    static long[] argmaxPerRow(NDArray logits) {
        int vocab = (int) logits.getShape().get(1);
        float[] values = logits.toFloatArray();
        long[] out = new long[values.length / vocab];
        for (int b = 0; b < out.length; b++) {
            int best = 0;
            for (int v = 1; v < vocab; v++) {
                if (values[b * vocab + v] > values[b * vocab + best]) {
                    best = v;
                }
            }
            out[b] = best;
        }
        return out;
    }

    private static boolean allTrue(boolean[] flags) {
        for (boolean f : flags) {
            if (!f) {
                return false;
            }
        }
        return true;
    }
}
