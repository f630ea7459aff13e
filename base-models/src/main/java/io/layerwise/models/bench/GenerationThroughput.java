package io.layerwise.models.bench;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.GreedyDecoder;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.NativeThreads;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Greedy generation speed with the KV cache against re-running the whole sequence at every step,
 * on the same prompts in one run: new tokens per second of each and their ratio. Prompts are
 * seeded random token ids, so any decoder works, with or without a tokenizer.
 *
 * @param batchSize prompts decoded together
 * @param promptTokens tokens per prompt
 * @param newTokens tokens generated per prompt
 */
public record GenerationThroughput(int batchSize, int promptTokens, int newTokens) {

    /** What one benchmark run measured. */
    public record Result(MachineInfo machine, int threads, double cachedTokensPerSecond, double uncachedTokensPerSecond) {
        public double speedup() {
            return cachedTokensPerSecond / uncachedTokensPerSecond;
        }
    }

    public Result run(FrozenTransformer model, PrintStream log) {
        int threads = NativeThreads.configure();
        SplittableRandom random = new SplittableRandom(42);
        List<long[]> prompts = new ArrayList<>();
        for (int b = 0; b < batchSize; b++) {
            prompts.add(random.longs(promptTokens, 0, model.spec().vocabSize()).toArray());
        }
        GreedyDecoder cached = new GreedyDecoder(model, Interventions.none(), true);
        GreedyDecoder uncached = new GreedyDecoder(model, Interventions.none(), false);
        cached.generate(prompts, 2, java.util.Set.of());
        uncached.generate(prompts, 2, java.util.Set.of());
        double cachedSeconds = time(() -> cached.generate(prompts, newTokens, java.util.Set.of()));
        double uncachedSeconds = time(() -> uncached.generate(prompts, newTokens, java.util.Set.of()));
        long total = (long) batchSize * newTokens;
        log.printf("%s: %d prompts x %d tokens, %d new tokens each, %d threads: cached %.2f s, uncached %.2f s%n",
                model.id(), batchSize, promptTokens, newTokens, threads, cachedSeconds, uncachedSeconds);
        return new Result(MachineInfo.current(), threads, total / cachedSeconds, total / uncachedSeconds);
    }

    private static double time(Runnable task) {
        long start = System.nanoTime();
        task.run();
        return (System.nanoTime() - start) / 1e9;
    }
}
