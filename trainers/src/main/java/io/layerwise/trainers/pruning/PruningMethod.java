package io.layerwise.trainers.pruning;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;

/** How the kept heads and channels of a batch are chosen at a given prune ratio. */
public enum PruningMethod {
    /** Alignment-aware probe pruning: probe, PPsp importance and the risk-aware safety gate. */
    AAPP,
    /** Plain probe pruning: probe and PPsp importance, no gate (the reference method). */
    PROBE_PRUNING,
    /** Heads and channels drawn uniformly at random (seeded per batch and block). */
    RANDOM;

    @JsonCreator
    public static PruningMethod fromConfig(String name) {
        return ConfigEnums.parse(PruningMethod.class, name);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
