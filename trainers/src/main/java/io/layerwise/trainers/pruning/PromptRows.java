package io.layerwise.trainers.pruning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rows of a prompt file a study uses, so that one file can feed the energy histories (even rows)
 * and the held-out evaluation (odd rows) without overlap.
 */
public enum PromptRows {
    ALL,
    EVEN,
    ODD;

    /** The items at the chosen row indices (0-based), in order. */
    public <T> List<T> select(List<T> items) {
        List<T> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            if (this == ALL || (i % 2 == 0) == (this == EVEN)) {
                out.add(items.get(i));
            }
        }
        return out;
    }

    /** Whether two choices share a row. */
    public boolean overlaps(PromptRows other) {
        return this == ALL || other == ALL || this == other;
    }

    @JsonCreator
    public static PromptRows fromConfig(String name) {
        return ConfigEnums.parse(PromptRows.class, name);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
