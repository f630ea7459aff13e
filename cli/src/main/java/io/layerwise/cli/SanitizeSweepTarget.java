package io.layerwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.trainers.sanitize.SanitizationStudy;
import io.layerwise.trainers.sanitize.SanitizeConfig;
import io.layerwise.trainers.sweep.RunMetrics;
import io.layerwise.trainers.sweep.SweepTarget;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sweeps of {@code layerwise sanitize} configs, typically over the ablation strength with one alpha per
 * candidate ({@code alphas: {log_uniform: [0.01, 1.0], as_list: true}}). Every candidate reuses the
 * train run's probes, directions and cached activations (the config's {@code run}); only the ablated
 * forward passes are computed. A candidate's metrics are its cells' metrics averaged over its alphas
 * (exactly the cell's when it has one alpha): {@code forward.<method>.top_<n>.<metric>} for ablations
 * inside the forward pass and {@code cached.<method>.<metric>} for the cached readout projection, e.g.
 * {@code forward.mean_difference.top_5.f1}.
 */
final class SanitizeSweepTarget implements SweepTarget {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String resolve(Path base, List<String> overrides) {
        return ConfigLoader.toYaml(ConfigLoader.load(base, overrides, SanitizeConfig.class).value());
    }

    /** Checks the base config's train run (its probes, directions and store) once, before any candidate. */
    @Override
    public List<String> prepare(Path base, List<String> overrides, Path sharedDirectory, PrintStream log) {
        log.print(new SanitizationStudy(ConfigLoader.load(base, overrides, SanitizeConfig.class).value(), log).describe());
        return List.of();
    }

    @Override
    public Map<String, Double> run(Path base, List<String> overrides, PrintStream log) {
        SanitizationStudy.Result result = new SanitizationStudy(ConfigLoader.load(base, overrides, SanitizeConfig.class).value(), log).run();
        Map<String, List<Double>> byName = new TreeMap<>();
        for (SanitizationStudy.Cell cell : result.cells()) {
            String prefix = cell.variant().equals("forward") ? "forward." + cell.method() + ".top_" + cell.n()
                    : cell.variant() + "." + cell.method();
            RunMetrics.flatten(JSON.valueToTree(cell.metrics()))
                    .forEach((name, value) -> byName.computeIfAbsent(prefix + "." + name, k -> new ArrayList<>()).add(value));
        }
        Map<String, Double> metrics = new TreeMap<>();
        byName.forEach((name, values) -> metrics.put(name, values.stream().mapToDouble(Double::doubleValue).average().orElseThrow()));
        return metrics;
    }
}
