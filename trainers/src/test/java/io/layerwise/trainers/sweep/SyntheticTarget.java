package io.layerwise.trainers.sweep;

import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.datasets.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A test-only sweep target over a tiny config record, loaded with the real config loader: its metrics
 * come from a function of the config, and it counts how often it ran.
 */
final class SyntheticTarget implements SweepTarget {

    /** The base config: {@code z} must be a, b or c; {@code offset} shifts every metric. */
    record Synthetic(Double x, Integer y, String z, Double offset, String output) {
        Synthetic {
            if (z != null && !List.of("a", "b", "c").contains(z)) {
                throw new ConfigFieldException("z", "must be a, b or c, got " + z);
            }
            offset = offset == null ? 0.0 : offset;
        }
    }

    final AtomicInteger runs = new AtomicInteger();
    private final Function<Synthetic, Map<String, Double>> metrics;

    SyntheticTarget(Function<Synthetic, Map<String, Double>> metrics) {
        this.metrics = metrics;
    }

    @Override
    public String resolve(Path base, List<String> overrides) {
        return ConfigLoader.toYaml(ConfigLoader.load(base, overrides, Synthetic.class).value());
    }

    @Override
    public Map<String, Double> run(Path base, List<String> overrides, PrintStream log) {
        runs.incrementAndGet();
        return metrics.apply(ConfigLoader.load(base, overrides, Synthetic.class).value());
    }
}
