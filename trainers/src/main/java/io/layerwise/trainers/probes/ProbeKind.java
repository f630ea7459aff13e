package io.layerwise.trainers.probes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.checkpoints.bundle.RunBundleKind;
import io.layerwise.datasets.config.ConfigEnums;

/** The two probe shapes trained per layer: a 2-layer MLP and logistic regression. */
public enum ProbeKind {
    MLP, LOGISTIC;

    /** Where a train run keeps this kind's probe bundles. */
    public RunBundleKind bundles() {
        return this == MLP ? RunBundleKind.MLP : RunBundleKind.LOGISTIC;
    }

    @JsonCreator
    public static ProbeKind fromConfig(String value) {
        return ConfigEnums.parse(ProbeKind.class, value);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
