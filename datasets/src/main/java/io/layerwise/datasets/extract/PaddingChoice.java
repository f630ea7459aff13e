package io.layerwise.datasets.extract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.runtime.PaddingSide;

/** Which side pads a batch: {@code auto} pads decoders on the left and encoders on the right. */
public enum PaddingChoice {
    AUTO,
    LEFT,
    RIGHT;

    /** The side used for a model of this shape. */
    public PaddingSide side(TransformerSpec spec) {
        return switch (this) {
            case AUTO -> spec.causal() ? PaddingSide.LEFT : PaddingSide.RIGHT;
            case LEFT -> PaddingSide.LEFT;
            case RIGHT -> PaddingSide.RIGHT;
        };
    }

    @JsonCreator
    public static PaddingChoice fromConfig(String name) {
        return ConfigEnums.parse(PaddingChoice.class, name);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
