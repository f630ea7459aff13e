package io.layerwise.datasets.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.layerwise.datasets.DatasetException;
import io.layerwise.models.files.JsonFieldPath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Loads a YAML config into a typed record, the one way every Layerwise command reads its config. Keys
 * are snake_case ({@code max_length} binds the record component {@code maxLength}); unknown keys,
 * duplicate keys, wrong types and values the record refuses are errors that name the file, the line and
 * the dotted field, and they are all found before any heavy work starts. {@code -s key=value} overrides
 * (dotted keys, YAML values: {@code -s layers=[0,3]}) are applied to the parsed tree before binding, so
 * they go through exactly the same checks.
 *
 * <pre>{@code
 * LoadedConfig<ExtractionConfig> loaded = ConfigLoader.load(Path.of("configs/quickstart-extract.yaml"),
 *         List.of("pooling=max"), ExtractionConfig.class);
 * String resolved = ConfigLoader.toYaml(loaded.value());   // defaults and overrides applied
 * }</pre>
 */
public final class ConfigLoader {
    private static final YAMLFactory YAML_FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build();
    private static final ObjectMapper YAML = YAMLMapper.builder(YAML_FACTORY)
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();
    private static final ObjectMapper PLAIN = JsonMapper.builder().build();

    private ConfigLoader() {}

    /**
     * Reads {@code file}, applies {@code overrides} ({@code key=value} each) and binds the result.
     *
     * @throws DatasetException naming the file, line and field of the first problem found
     */
    public static <T> LoadedConfig<T> load(Path file, List<String> overrides, Class<T> type) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DatasetException("config " + file + " not found", e);
        } catch (IOException e) {
            throw new DatasetException("cannot read config " + file + ": " + e.getMessage(), e);
        }
        Map<String, JsonLocation> locations;
        JsonNode tree;
        try {
            locations = YamlLocations.index(text);
            tree = YAML.readTree(text);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new DatasetException(file + (at == null ? "" : ":" + at.getLineNr() + ":" + at.getColumnNr())
                    + ": not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new DatasetException("cannot parse config " + file + ": " + e.getMessage(), e);
        }
        if (tree == null || tree.isMissingNode() || tree.isNull()) {
            tree = YAML.createObjectNode();
        }
        if (!tree.isObject()) {
            throw new DatasetException(file + ": a config must be a mapping of keys to values, not " + tree.getNodeType());
        }
        Map<String, String> applied = new LinkedHashMap<>();
        for (String override : overrides) {
            apply((ObjectNode) tree, override, applied);
        }
        ConfigSource source = new ConfigSource(file, locations, applied);
        try {
            return new LoadedConfig<>(YAML.treeToValue(tree, type), source);
        } catch (JsonMappingException e) {
            throw explain(e, source);
        } catch (JsonProcessingException e) {
            throw new DatasetException(file + ": " + e.getOriginalMessage(), e);
        }
    }

    /**
     * The config as YAML, with every default filled in: what a run records as {@code config.resolved.yaml};
     * without the {@code omitted} top-level fields.
     */
    public static String toYaml(Object config, String... omitted) {
        try {
            ObjectNode tree = YAML.valueToTree(config);
            tree.remove(List.of(omitted));
            return YAML.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a config record could not be written as YAML", e);
        }
    }

    private static void apply(ObjectNode tree, String override, Map<String, String> applied) {
        int eq = override.indexOf('=');
        String key = eq < 0 ? override : override.substring(0, eq).strip();
        if (eq < 0 || key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
            throw new DatasetException("-s " + override + ": expected key=value with a dotted key, e.g. -s dataset.path=train.csv");
        }
        String[] parts = key.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            JsonNode child = node.get(parts[i]);
            if (child == null || child.isNull()) {
                child = node.putObject(parts[i]);
            } else if (!child.isObject()) {
                throw new DatasetException("-s " + override + ": '" + String.join(".", List.of(parts).subList(0, i + 1))
                        + "' is not a mapping, so it has no field '" + parts[i + 1] + "'");
            }
            node = (ObjectNode) child;
        }
        node.set(parts[parts.length - 1], parseValue(override.substring(eq + 1)));
        applied.put(key, override);
    }

    /**
     * A value as YAML would read it ({@code 8} is a number, {@code [0,3]} a list, {@code mean} a string);
     * only values written as flow collections become collections, so a path with a colon stays a string.
     */
    private static JsonNode parseValue(String raw) {
        String value = raw.strip();
        if (value.isEmpty()) {
            return NullNode.getInstance();
        }
        try {
            JsonNode parsed = YAML.readTree(value);
            boolean collection = parsed != null && parsed.isContainerNode();
            boolean flow = value.startsWith("[") || value.startsWith("{");
            if (parsed != null && (collection == flow)) {
                return parsed;
            }
        } catch (JsonProcessingException e) {
            // not YAML on its own (e.g. "a: b: c"): the literal string is meant
        }
        return TextNode.valueOf(value);
    }

    private static DatasetException explain(JsonMappingException e, ConfigSource source) {
        String path = JsonFieldPath.of(e);
        Throwable refusal = refusal(e);
        if (refusal instanceof ConfigFieldException field && field.field() != null) {
            path = path.isEmpty() ? field.field() : path + "." + field.field();
        }
        String message;
        if (refusal != null) {
            message = refusal.getMessage();
        } else if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown field; the fields here are " + unknown.getKnownPropertyIds().stream()
                    .map(String::valueOf).collect(Collectors.toCollection(TreeSet::new));
        } else if (e instanceof InvalidFormatException invalid) {
            message = "expected " + describe(invalid.getTargetType()) + ", got " + quote(invalid.getValue());
        } else if (e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            message = "expected " + describe(mismatched.getTargetType());
        } else {
            message = e.getOriginalMessage();
        }
        return source.error(path, message);
    }

    /** The record constructor's or creator's own complaint, if the failure came from one. */
    private static Throwable refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConfigFieldException || t instanceof IllegalArgumentException) {
                return t;
            }
        }
        return null;
    }

    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Double.class || type == double.class || type == Float.class || type == float.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || type.isRecord()) {
            return "a mapping";
        }
        return type.getSimpleName();
    }

    private static String quote(Object value) {
        try {
            return PLAIN.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}
