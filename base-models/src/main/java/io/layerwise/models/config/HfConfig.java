package io.layerwise.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.models.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Hugging Face {@code config.json}, read with typed accessors whose errors name the file and key.
 * Configs written by {@code save_pretrained} omit keys equal to their class defaults, so every
 * optional read takes the family's default explicitly at the call site.
 *
 * <pre>{@code
 * HfConfig config = HfConfig.read(modelDir.resolve("config.json"));
 * int layers = config.requireInt("num_hidden_layers");
 * }</pre>
 */
public final class HfConfig {
    private final String source;
    private final JsonNode root;

    public HfConfig(String source, JsonNode root) {
        this.source = source;
        this.root = root;
    }

    /** Reads and parses a config.json file. */
    public static HfConfig read(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ModelException(path + " not found: a Hugging Face model directory needs a config.json");
        }
        try {
            JsonNode root = new ObjectMapper().readTree(path.toFile());
            if (root == null || !root.isObject()) {
                throw new ModelException(path + " is not a JSON object");
            }
            return new HfConfig(path.toString(), root);
        } catch (IOException e) {
            throw new ModelException("cannot parse " + path + ": " + e.getMessage(), e);
        }
    }

    public String source() {
        return source;
    }

    public JsonNode json() {
        return root;
    }

    public boolean has(String key) {
        JsonNode node = root.get(key);
        return node != null && !node.isNull();
    }

    public String requireString(String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.isTextual()) {
            throw error(key, "is missing or not a string");
        }
        return node.asText();
    }

    public Optional<String> string(String key) {
        JsonNode node = root.get(key);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
    }

    public int requireInt(String key) {
        JsonNode node = root.get(key);
        if (node == null || !node.canConvertToInt() || !node.isIntegralNumber()) {
            throw error(key, "is missing or not an integer");
        }
        return positive(key, node.asInt());
    }

    public int intOr(String key, int fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw error(key, "must be an integer, found " + node);
        }
        return positive(key, node.asInt());
    }

    public double doubleOr(String key, double fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isNumber()) {
            throw error(key, "must be a number, found " + node);
        }
        return node.asDouble();
    }

    public boolean boolOr(String key, boolean fallback) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isBoolean()) {
            throw error(key, "must be true or false, found " + node);
        }
        return node.asBoolean();
    }

    /** A nested object, if present. */
    public Optional<HfConfig> object(String key) {
        JsonNode node = root.get(key);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw error(key, "must be an object, found " + node);
        }
        return Optional.of(new HfConfig(source + " [" + key + "]", node));
    }

    private int positive(String key, int value) {
        if (value < 0) {
            throw error(key, "must not be negative, found " + value);
        }
        return value;
    }

    /** An error that names this config file and the key. */
    public ModelException error(String key, String problem) {
        return new ModelException(source + ": key '" + key + "' " + problem);
    }
}
