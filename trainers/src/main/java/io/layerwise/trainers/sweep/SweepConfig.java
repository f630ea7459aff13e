package io.layerwise.trainers.sweep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigEnums;
import io.layerwise.datasets.config.ConfigFieldException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config of {@code layerwise sweep}: a base config of another command, the fields to vary (dotted
 * config paths, applied to the base exactly like {@code -s key=value} overrides), how candidates are
 * generated, what is optimized, how many candidates run at once and where the sweep's run directory is.
 *
 * <pre>
 * command: train                        # the command the base config is for: train or sanitize (required)
 * base: configs/quickstart.yaml         # its config (required)
 * set: {probes: [mlp], sanitize: null}  # optional: fixed overrides of the base for every candidate
 * fields:                               # config path -> values (at least one)
 *   mlp.learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}
 *   mlp.hidden_size: {values: [64, 128]}
 * generator: {grid: {discretization: 4}}  # or {random: {candidates: 20, seed: 42}}
 * objective: {metric: validation.mlp.f1.mean, goal: maximize}   # a number of each candidate's metrics.json
 * parallelism: 1                        # candidates run at once
 * max_minutes: 120                      # optional: start no candidate after this long (a rerun resumes)
 * output: runs/sweep-learning-rate      # the sweep's run directory (required)
 * </pre>
 */
public record SweepConfig(BaseCommand command, String base, Map<String, Object> set, Map<String, FieldSpace> fields, Search generator,
        Objective objective, Integer parallelism, Double maxMinutes, String output) {

    /** The commands whose configs a sweep can vary. */
    public enum BaseCommand {
        TRAIN, SANITIZE;

        @JsonCreator
        public static BaseCommand fromConfig(String name) {
            return ConfigEnums.parse(BaseCommand.class, name);
        }

        @JsonValue
        public String configName() {
            return ConfigEnums.configName(this);
        }
    }

    private static void checkPath(String key, String path) {
        if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..") || path.contains("=")) {
            throw new ConfigFieldException(key, "'" + path + "' is not a dotted config path such as mlp.learning_rate");
        }
        if (path.equals(OUTPUT_KEY) || path.startsWith(OUTPUT_KEY + ".")) {
            throw new ConfigFieldException(key, "'" + path + "' cannot be set: every candidate gets its own output");
        }
    }

    /** The {@code set} values as overrides every candidate takes. */
    public List<String> setOverrides() {
        return new SweepPoint(set).overrides();
    }

    /** The key every base config names its run directory with; each candidate gets its own. */
    public static final String OUTPUT_KEY = "output";

    public SweepConfig {
        if (command == null) {
            throw new ConfigFieldException("command", "is required: the command whose config is swept, train or sanitize");
        }
        if (base == null || !Files.isRegularFile(Path.of(base))) {
            throw new ConfigFieldException("base", "must name the base config file, got " + base);
        }
        set = set == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(set));
        for (String path : set.keySet()) {
            checkPath("set", path);
        }
        if (fields == null || fields.isEmpty()) {
            throw new ConfigFieldException("fields", "must map at least one config path to its values, e.g. "
                    + "mlp.learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}");
        }
        for (Map.Entry<String, FieldSpace> field : fields.entrySet()) {
            String path = field.getKey();
            checkPath("fields", path);
            if (set.containsKey(path)) {
                throw new ConfigFieldException("fields", "'" + path + "' is both swept and set");
            }
            if (field.getValue() == null) {
                throw new ConfigFieldException("fields", "'" + path + "' needs values, e.g. {values: [1, 2]}");
            }
        }
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        if (generator == null) {
            throw new ConfigFieldException("generator", "is required: {grid: {discretization: N}} or {random: {candidates: N}}");
        }
        if (objective == null) {
            throw new ConfigFieldException("objective", "is required, e.g. {metric: validation.mlp.f1.mean, goal: maximize}");
        }
        parallelism = ConfigDefaults.positive("parallelism", parallelism, 1);
        if (maxMinutes != null) {
            maxMinutes = ConfigDefaults.positive("max_minutes", maxMinutes, 1.0);
        }
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the sweep's run directory");
        }
    }
}
