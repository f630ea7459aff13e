package io.layerwise.trainers.probes;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import java.util.List;

/**
 * Hyperparameters of the 2-layer MLP probe {@code Linear(d, hidden) -> activation -> dropout ->
 * Linear(hidden, 1)}, trained with Adam on the (optionally class-weighted) cross-entropy plus an L2
 * penalty {@code l2/2 ||W||^2} on the weights (not the biases).
 *
 * <pre>
 * mlp: {hidden_size: 128, activation: relu, dropout: 0.1, l2: 1.0e-4, learning_rate: 1.0e-3,
 *       epochs: 60, batch_size: 64, patience: 8}
 * </pre>
 *
 * @param hiddenSize width of the hidden layer
 * @param activation {@code relu}, {@code tanh} or {@code sigmoid} (names PyTorch shares)
 * @param dropout probability of zeroing a hidden unit while training, in [0, 1)
 * @param l2 weight-decay coefficient, >= 0
 * @param learningRate Adam's step size
 * @param epochs most passes over the training rows
 * @param batchSize rows per update
 * @param patience epochs without a better validation loss before stopping (0: never stop early)
 */
public record MlpSettings(Integer hiddenSize, String activation, Double dropout, Double l2, Double learningRate,
        Integer epochs, Integer batchSize, Integer patience) {
    public static final List<String> ACTIVATIONS = List.of("relu", "tanh", "sigmoid");
    public static final MlpSettings DEFAULT = new MlpSettings(null, null, null, null, null, null, null, null);

    public MlpSettings {
        hiddenSize = ConfigDefaults.positive("hidden_size", hiddenSize, 128);
        activation = activation == null ? "relu" : activation;
        if (!ACTIVATIONS.contains(activation)) {
            throw new ConfigFieldException("activation", "must be one of " + ACTIVATIONS + ", got " + activation);
        }
        dropout = dropout == null ? 0.1 : dropout;
        if (!(dropout >= 0 && dropout < 1)) {
            throw new ConfigFieldException("dropout", "must be in [0, 1), got " + dropout);
        }
        l2 = ConfigDefaults.nonNegative("l2", l2, 1e-4);
        learningRate = ConfigDefaults.positive("learning_rate", learningRate, 1e-3);
        epochs = ConfigDefaults.positive("epochs", epochs, 60);
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 64);
        patience = ConfigDefaults.nonNegative("patience", patience, 8);
    }

    ProbeSettings common() {
        return new ProbeSettings(l2, learningRate, epochs, batchSize, patience);
    }
}
