package io.layerwise.trainers.sweep;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a sweep varies: a Layerwise command run on its base config with {@code key=value} overrides
 * (applied by {@code ConfigLoader}, exactly like the command line's {@code -s}), reporting its metrics by
 * name. The sweep engine is independent of what the command does; each command brings one target.
 *
 * <p>Calls may come from several threads at once (the sweep's {@code parallelism}); {@link #run} must
 * write only under the {@code output} the overrides give it.
 *
 * <pre>{@code
 * SweepTarget quadratic = new SweepTarget() {
 *     public String resolve(Path base, List<String> overrides) {
 *         return ConfigLoader.toYaml(ConfigLoader.load(base, overrides, MyConfig.class).value());
 *     }
 *     public Map<String, Double> run(Path base, List<String> overrides, PrintStream log) {
 *         MyConfig c = ConfigLoader.load(base, overrides, MyConfig.class).value();
 *         return Map.of("score", -(c.x() - 1) * (c.x() - 1));
 *     }
 * };
 * }</pre>
 */
public interface SweepTarget {

    /**
     * The command's config for these overrides, validated and written as resolved YAML (every default
     * filled in): what a candidate runs, and what the best candidate is saved as.
     *
     * @throws RuntimeException (the config loader's exception) naming the field when the config is invalid
     */
    String resolve(Path base, List<String> overrides);

    /**
     * Runs the command for one candidate and returns its metrics by name ({@code validation.mlp.f1.6}).
     * Any exception marks the candidate failed; the sweep records it and goes on.
     */
    Map<String, Double> run(Path base, List<String> overrides, PrintStream log);

    /**
     * Work that every candidate shares, done once before the first candidate (and again, cheaply, when
     * a sweep resumes), writing under {@code sharedDirectory}; returns the overrides that point every
     * candidate at it. Learning-rate sweeps, for example, extract activations once here.
     *
     * @param overrides the overrides every candidate takes (the sweep's {@code set})
     */
    default List<String> prepare(Path base, List<String> overrides, Path sharedDirectory, PrintStream log) {
        return List.of();
    }
}
