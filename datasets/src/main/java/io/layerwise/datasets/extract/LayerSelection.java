package io.layerwise.datasets.extract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * The {@code layers} of a config: {@code all} (every layer of each tap: 0..L for the residual stream,
 * 0..L-1 for per-block taps), one index, or a list of indices.
 *
 * @param indices ascending distinct layer indices, or null for all
 */
public record LayerSelection(List<Integer> indices) {
    public static final LayerSelection ALL = new LayerSelection(null);

    public LayerSelection {
        if (indices != null) {
            if (indices.isEmpty()) {
                throw new IllegalArgumentException("an empty list selects no layer; write all, or list layer indices");
            }
            for (int i : indices) {
                if (i < 0) {
                    throw new IllegalArgumentException("layer " + i + " is negative; layers count from 0 (the embeddings)");
                }
            }
            indices = List.copyOf(new TreeSet<>(indices));
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static LayerSelection fromConfig(JsonNode node) {
        if (node.isTextual() && node.asText().equals("all")) {
            return ALL;
        }
        if (node.isInt()) {
            return new LayerSelection(List.of(node.asInt()));
        }
        if (node.isArray()) {
            List<Integer> indices = new ArrayList<>();
            for (JsonNode item : node) {
                if (!item.isInt()) {
                    throw new IllegalArgumentException("layer " + item + " is not a whole number");
                }
                indices.add(item.asInt());
            }
            return new LayerSelection(indices);
        }
        throw new IllegalArgumentException("expected all, a layer index or a list of them, got " + node);
    }

    @JsonValue
    public Object configValue() {
        return indices == null ? "all" : indices;
    }

    public boolean isAll() {
        return indices == null;
    }

    /** The selected indices for a tap with {@code count} layers (all of 0..count-1 when {@link #isAll()}). */
    public List<Integer> resolve(int count) {
        return indices == null ? IntStream.range(0, count).boxed().toList() : indices;
    }
}
