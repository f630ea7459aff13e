package io.layerwise.datasets.config;

import com.fasterxml.jackson.core.JsonLocation;
import io.layerwise.datasets.DatasetException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a loaded config came from, so that any later check can report a problem the way the loader
 * does: {@code configs/extract.yaml:7:10: pooling: 'avg' is not one of mean, last, max, none}, or
 * {@code -s pooling=avg: ...} when the value came from a command-line override.
 *
 * <pre>{@code
 * if (!Files.exists(Path.of(config.dataset().path()))) {
 *     throw source.error("dataset.path", "no such file " + config.dataset().path());
 * }
 * }</pre>
 */
public final class ConfigSource {
    private final Path file;
    private final Map<String, JsonLocation> locations;
    private final Map<String, String> overrides;
    private final String prefix;

    ConfigSource(Path file, Map<String, JsonLocation> locations, Map<String, String> overrides) {
        this(file, locations, overrides, "");
    }

    private ConfigSource(Path file, Map<String, JsonLocation> locations, Map<String, String> overrides, String prefix) {
        this.file = file;
        this.locations = Map.copyOf(locations);
        this.overrides = new LinkedHashMap<>(overrides);
        this.prefix = prefix;
    }

    /**
     * The source of a config nested under {@code key} (e.g. the {@code extract} block of a train config):
     * its errors name fields by their full path, {@code extract.dataset.path}.
     */
    public ConfigSource nested(String key) {
        return new ConfigSource(file, locations, overrides, prefix + key + ".");
    }

    public Path file() {
        return file;
    }

    /** The {@code -s key=value} arguments applied, by dotted key, in the order given. */
    public Map<String, String> overrides() {
        return Collections.unmodifiableMap(overrides);
    }

    /** An error about one field ({@code dataset.path}, {@code taps[1]}, or "" for the whole config). */
    public DatasetException error(String field, String message) {
        String full = field.isEmpty() ? field : prefix + field;
        return new DatasetException(where(field) + ": " + (full.isEmpty() ? "" : full + ": ") + message);
    }

    /**
     * Where a field was set: the override that set it or one of its parents, else the line and column of
     * its key in the file, else of its nearest parent that is in the file (a missing field), else the file.
     */
    public String where(String field) {
        field = prefix + field;
        for (String candidate = field; !candidate.isEmpty(); candidate = parent(candidate)) {
            String override = overrides.get(candidate);
            if (override != null) {
                return "-s " + override;
            }
        }
        for (String candidate = field; !candidate.isEmpty(); candidate = parent(candidate)) {
            JsonLocation location = locations.get(candidate);
            if (location != null) {
                return file + ":" + location.getLineNr() + ":" + location.getColumnNr();
            }
        }
        return file.toString();
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }
}
