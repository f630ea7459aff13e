package io.layerwise.checkpoints.bundle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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
        return CardNames.of(this);
    }

    @JsonCreator
    public static ProbeActivation fromCard(String name) {
        return CardNames.parse(ProbeActivation.class, "activation", name);
    }
}
