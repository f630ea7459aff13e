package io.layerwise.trainers.sweep;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Serializable;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One candidate's values, by config path in the sweep config's order: the value Arbiter's candidate
 * generators produce and hand to the runner, so it is {@link Serializable} (Arbiter copies candidates by
 * Java serialization). {@link #overrides} writes it as {@code -s key=value} arguments for the base config.
 *
 * @param values config path -> value (Double, Integer or a value from a {@code values:} list)
 */
public record SweepPoint(Map<String, Object> values) implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    public SweepPoint {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /**
     * The values as {@code key=value} overrides that {@code ConfigLoader} reads back as the same YAML
     * values: numbers in plain decimal notation ({@code 0.0001}, never {@code 1.0E-4}), strings quoted
     * (so {@code "true"} or {@code "8"} stay strings), lists and mappings as JSON flow collections.
     */
    public List<String> overrides() {
        List<String> overrides = new ArrayList<>();
        values.forEach((path, value) -> overrides.add(path + "=" + yaml(value)));
        return overrides;
    }

    /** The values as tables show them: in full ({@code 3.1622776601683794E-4}), never rounded to a few decimals. */
    public List<String> displayValues() {
        return values.values().stream().map(String::valueOf).toList();
    }

    static String yaml(Object value) {
        if (value instanceof Double || value instanceof Float) {
            String plain = BigDecimal.valueOf(((Number) value).doubleValue()).stripTrailingZeros().toPlainString();
            return plain.contains(".") ? plain : plain + ".0";
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a swept value cannot be written as YAML: " + value, e);
        }
    }
}
