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
import java.util.Map;

/**
 * The config of {@code layerwise sweep}: a base config of another command, the fields to vary (dotted
 * config paths, applied to the base exactly like {@code -s key=value} overrides), how candidates are
 * generated, what is optimized, how many candidates run at once and where the sweep's run directory is.
 *
 * <pre>
 * command: train                        # the command the base config is for: train or sanitize (required)
 * base: configs/train-quickstart.yaml   # its config (required)
 * fields:                               # config path -> values (at least one)
 *   mlp.learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}
 *   mlp.hidden_size: {values: [64, 128]}
 * generator: {grid: {discretization: 4}}  # or {random: {candidates: 20, seed: 42}}
 * objective: {metric: validation.f1.layer_*, goal: maximize}
 * parallelism: 1                        # candidates run at once
 * max_minutes: 120                      # optional: start no candidate after this long (a rerun resumes)
 * output: runs/sweep-learning-rate      # the sweep's run directory (required)
 * </pre>
 */
public record SweepConfig(BaseCommand command, String base, Map<String, FieldSpace> fields, Search generator,
        Objective objective, Integer parallelism, Integer maxMinutes, String output) {

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

    /** The key every base config names its run directory with; each candidate gets its own. */
    public static final String OUTPUT_KEY = "output";

    public SweepConfig {
        if (command == null) {
            throw new ConfigFieldException("command", "is required: train or sanitize");
        }
        if (base == null || !Files.isRegularFile(Path.of(base))) {
            throw new ConfigFieldException("base", "must name the base config file, got " + base);
        }
        if (fields == null || fields.isEmpty()) {
            throw new ConfigFieldException("fields", "must map at least one config path to its values, e.g. "
                    + "mlp.learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}");
        }
        for (Map.Entry<String, FieldSpace> field : fields.entrySet()) {
            String path = field.getKey();
            if (path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..") || path.contains("=")) {
                throw new ConfigFieldException("fields", "'" + path + "' is not a dotted config path such as mlp.learning_rate");
            }
            if (path.equals(OUTPUT_KEY) || path.startsWith(OUTPUT_KEY + ".")) {
                throw new ConfigFieldException("fields", "'" + path + "' cannot be swept: every candidate gets its own output");
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
            throw new ConfigFieldException("objective", "is required, e.g. {metric: validation.f1.layer_*, goal: maximize}");
        }
        parallelism = ConfigDefaults.positive("parallelism", parallelism, 1);
        if (maxMinutes != null) {
            maxMinutes = ConfigDefaults.positive("max_minutes", maxMinutes, 1);
        }
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the sweep's run directory");
        }
    }
}
