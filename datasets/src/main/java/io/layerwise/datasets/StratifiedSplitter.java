package io.layerwise.datasets;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.ToIntFunction;

/**
 * Splits items into train / validation / test so that every stratum (usually the class label) keeps the
 * same proportions, deterministically from a seed. Within each stratum, items are shuffled with a
 * Fisher-Yates shuffle driven by {@link SplittableRandom}; the first {@code round(n * test)} go to test,
 * the next {@code round(n * validation)} to validation, the rest to train. Strata are visited in
 * ascending order, each with its own generator split off one seeded root, so the same seed and the same
 * items give the same split on every JVM ({@code SplittableRandom}'s SplitMix64 algorithm and Java's
 * strict floating point fix every step; a golden test pins the result).
 *
 * <pre>{@code
 * StratifiedSplitter splitter = new StratifiedSplitter(new SplitFractions(0.8, 0.1, 0.1), 42);
 * DatasetSplit<Example> split = splitter.split(examples, Example::label);
 * List<Example> train = split.itemsIn(Split.TRAIN);
 * }</pre>
 */
public final class StratifiedSplitter {
    private final SplitFractions fractions;
    private final long seed;

    public StratifiedSplitter(SplitFractions fractions, long seed) {
        this.fractions = Objects.requireNonNull(fractions, "fractions");
        this.seed = seed;
    }

    /**
     * Gives every item a split.
     *
     * @param stratum the stratum of an item, e.g. {@code Example::label}
     */
    public <T> DatasetSplit<T> split(List<T> items, ToIntFunction<? super T> stratum) {
        TreeMap<Integer, List<Integer>> strata = new TreeMap<>();
        for (int i = 0; i < items.size(); i++) {
            strata.computeIfAbsent(stratum.applyAsInt(items.get(i)), k -> new ArrayList<>()).add(i);
        }
        Split[] splits = new Split[items.size()];
        SplittableRandom root = new SplittableRandom(seed);
        for (List<Integer> members : strata.values()) {
            int[] order = members.stream().mapToInt(Integer::intValue).toArray();
            shuffle(order, root.split());
            int n = order.length;
            int test = (int) Math.round(n * fractions.test());
            // Rounding both shares up can exceed a tiny stratum; validation gives way so test keeps its share.
            int validation = Math.min((int) Math.round(n * fractions.validation()), n - test);
            for (int k = 0; k < n; k++) {
                splits[order[k]] = k < test ? Split.TEST : k < test + validation ? Split.VALIDATION : Split.TRAIN;
            }
        }
        return new DatasetSplit<>(items, Arrays.asList(splits));
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
