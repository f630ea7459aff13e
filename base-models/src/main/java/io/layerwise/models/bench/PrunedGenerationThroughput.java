package io.layerwise.models.bench;

import io.layerwise.models.runtime.ChannelMask;
import io.layerwise.models.runtime.ChannelPruning;
import io.layerwise.models.runtime.FlopsAccounting;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.GreedyDecoder;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.NativeThreads;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Greedy generation speed of channel-pruned models ({@link ChannelPruning}) against the dense model, in
 * one run: at each prune ratio the same share of heads and MLP channels is removed from every block
 * (drawn at random, seeded: speed depends on the shapes, not on which units go), the models are timed
 * in interleaved rounds on the same random prompts, and each is reported with its best round beside
 * the FLOPs per token {@link FlopsAccounting} gives it, so the measured speed-up can be read against
 * the compute removed.
 *
 * @param batchSize prompts decoded together
 * @param promptTokens tokens per prompt
 * @param newTokens tokens generated per prompt
 * @param rounds timed rounds per model (interleaved; the best counts)
 */
public record PrunedGenerationThroughput(int batchSize, int promptTokens, int newTokens, int rounds) {

    /**
     * One model's figures.
     *
     * @param ratio share of heads and channels removed (0: dense)
     * @param tokensPerSecond new tokens per second in the best round
     * @param flopsPerToken forward FLOPs per token at the final sequence length
     */
    public record Row(double ratio, double tokensPerSecond, double flopsPerToken) {}

    /** What one run measured; rows start with the dense model. */
    public record Result(MachineInfo machine, int threads, List<Row> rows) {}

    public Result run(FrozenTransformer model, List<Double> ratios, PrintStream log) {
        int threads = NativeThreads.configure();
        SplittableRandom random = new SplittableRandom(42);
        List<long[]> prompts = new ArrayList<>();
        for (int b = 0; b < batchSize; b++) {
            prompts.add(random.longs(promptTokens, 0, model.spec().vocabSize()).toArray());
        }
        List<Double> all = new ArrayList<>(List.of(0.0));
        ratios.stream().filter(r -> r > 0).forEach(all::add);
        List<ChannelPruning.Pruned> pruned = new ArrayList<>();
        List<FrozenTransformer> models = new ArrayList<>(List.of(model));
        List<Interventions> counted = new ArrayList<>(List.of(Interventions.none()));
        try {
            for (double ratio : all.subList(1, all.size())) {
                Map<Integer, ChannelMask> masks = ChannelPruning.randomMasks(model.spec(),
                        IntStream.range(0, model.spec().numLayers()).boxed().toList(), ratio, random);
                ChannelPruning.Pruned p = ChannelPruning.materialize(model, masks);
                pruned.add(p);
                models.add(p.model());
                Interventions iv = Interventions.none();
                for (var e : masks.entrySet()) {
                    iv = iv.withChannelMask(e.getKey(), e.getValue());
                }
                counted.add(iv);
            }
            double[] best = new double[models.size()];
            Arrays.fill(best, Double.MAX_VALUE);
            for (FrozenTransformer m : models) {
                new GreedyDecoder(m, Interventions.none(), true).generate(prompts, 2, Set.of());
            }
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < models.size(); i++) {
                    GreedyDecoder decoder = new GreedyDecoder(models.get(i), Interventions.none(), true);
                    long start = System.nanoTime();
                    decoder.generate(prompts, newTokens, Set.of());
                    best[i] = Math.min(best[i], (System.nanoTime() - start) / 1e9);
                }
            }
            FlopsAccounting flops = new FlopsAccounting(model.spec());
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < models.size(); i++) {
                rows.add(new Row(all.get(i), (double) batchSize * newTokens / best[i],
                        flops.perToken(promptTokens + newTokens, counted.get(i))));
            }
            log.printf("%s: %d prompts x %d tokens, %d new tokens each, %d threads, best of %d interleaved rounds%n",
                    model.id(), batchSize, promptTokens, newTokens, threads, rounds);
            return new Result(MachineInfo.current(), threads, rows);
        } finally {
            pruned.forEach(ChannelPruning.Pruned::close);
        }
    }
}
