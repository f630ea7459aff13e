package io.layerwise.trainers.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A run's {@code metrics.json} as the flat metric names a sweep objective uses: every number, named by
 * its dotted path ({@code {"validation": {"mlp": {"f1": {"6": 0.91, "mean": 0.88}}}}} gives
 * {@code validation.mlp.f1.6} and {@code validation.mlp.f1.mean}); list elements are named by position.
 * Strings and booleans are not metrics and are left out.
 */
public final class RunMetrics {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunMetrics() {}

    /** The metrics of the run directory {@code run}. */
    public static Map<String, Double> read(Path run) {
        Path file = run.resolve("metrics.json");
        try {
            return flatten(JSON.readTree(file.toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the metrics of " + run + ": " + e.getMessage(), e);
        }
    }

    public static Map<String, Double> flatten(JsonNode json) {
        Map<String, Double> metrics = new TreeMap<>();
        flatten("", json, metrics);
        return metrics;
    }

    private static void flatten(String path, JsonNode node, Map<String, Double> metrics) {
        if (node.isNumber()) {
            metrics.put(path, node.asDouble());
        } else if (node.isObject()) {
            for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                flatten(path.isEmpty() ? name : path + "." + name, node.get(name), metrics);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path.isEmpty() ? String.valueOf(i) : path + "." + i, node.get(i), metrics);
            }
        }
    }
}
