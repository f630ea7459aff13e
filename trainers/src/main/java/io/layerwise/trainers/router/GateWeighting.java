package io.layerwise.trainers.router;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import java.util.Locale;

/**
 * How a router weights the routed heads it keeps. {@code scores} is MoH's: the kept heads' softmax
 * probabilities renormalized over the kept set and multiplied by k (mean weight 1, so a frozen model
 * sees outputs of its usual scale). {@code mask}: kept heads weight 1, dropped 0, a pure per-token head
 * mask; trained with a straight-through estimator (value of the mask, gradient of the probabilities).
 * With {@code mask}, keeping every head leaves the model exactly dense; with {@code scores} it does not,
 * since every head is then weighted by n times its probability.
 */
public enum GateWeighting {
    SCORES,
    MASK;

    @JsonCreator
    public static GateWeighting fromConfig(String name) {
        return ConfigEnums.parse(GateWeighting.class, name);
    }

    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
