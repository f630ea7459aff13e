package io.layerwise.trainers.probes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;

/**
 * How the loss weighs the two classes: {@code none} (every example counts once) or {@code balanced}
 * (each class weighted by {@code n / (2 n_c)}, scikit-learn's {@code class_weight="balanced"}), for
 * imbalanced sets such as Jigsaw, where about one comment in ten is toxic.
 */
public enum ClassWeighting {
    NONE, BALANCED;

    /** Loss weight of class 0 and class 1 given the training labels. */
    public double[] weights(long[] labels) {
        if (this == NONE) {
            return new double[] {1, 1};
        }
        long positives = java.util.Arrays.stream(labels).filter(l -> l == 1).count();
        long negatives = labels.length - positives;
        return new double[] {labels.length / (2.0 * negatives), labels.length / (2.0 * positives)};
    }

    @JsonCreator
    public static ClassWeighting fromConfig(String value) {
        return ConfigEnums.parse(ClassWeighting.class, value);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }
}
