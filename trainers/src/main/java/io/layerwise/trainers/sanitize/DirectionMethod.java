package io.layerwise.trainers.sanitize;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.checkpoints.bundle.RunBundleKind;
import io.layerwise.datasets.config.ConfigEnums;

/** Which harmful direction a sweep ablates: Eq. 1 (difference of class means) or Eq. 2 (logistic weights). */
public enum DirectionMethod {
    MEAN_DIFFERENCE(RunBundleKind.MEAN_DIFFERENCE), LOGISTIC(RunBundleKind.LOGISTIC_DIRECTION);

    private final RunBundleKind bundles;

    DirectionMethod(RunBundleKind bundles) {
        this.bundles = bundles;
    }

    /** Where a train run keeps this method's direction bundles. */
    public RunBundleKind bundles() {
        return bundles;
    }

    @JsonCreator
    public static DirectionMethod fromConfig(String value) {
        return ConfigEnums.parse(DirectionMethod.class, value);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
