package io.layerwise.checkpoints.bundle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The non-linearity between an MLP probe's two layers, named as in the card and matching the PyTorch
 * module that sits at index 1 of the {@code Sequential}: {@code relu} = {@code nn.ReLU()},
 * {@code tanh} = {@code nn.Tanh()}, {@code sigmoid} = {@code nn.Sigmoid()}.
 */
public enum ProbeActivation {
    RELU,
    TANH,
    SIGMOID;

    double apply(double x) {
        return switch (this) {
            case RELU -> Math.max(x, 0.0);
            case TANH -> Math.tanh(x);
            case SIGMOID -> ProbeBundle.sigmoid(x);
        };
    }

    @JsonValue
    public String cardName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static ProbeActivation fromCard(String name) {
        return Arrays.stream(values()).filter(a -> a.cardName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("activation '" + name + "' is not one of "
                        + Arrays.stream(values()).map(ProbeActivation::cardName).collect(Collectors.joining(", "))));
    }
}
