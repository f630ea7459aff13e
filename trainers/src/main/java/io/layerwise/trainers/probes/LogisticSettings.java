package io.layerwise.trainers.probes;

import io.layerwise.datasets.config.ConfigDefaults;

/**
 * Hyperparameters of the logistic-regression probe {@code sigmoid(w.x + b)} on standardized features,
 * trained with Adam on the (optionally class-weighted) cross-entropy plus {@code l2/2 ||w||^2}.
 * The network is a 2-way softmax whose logit difference {@code w = W_1 - W_0} is the exported weight
 * vector; DL4J adds {@code l2/2 (||W_0||^2 + ||W_1||^2)}, which at the (symmetric) optimum is
 * {@code l2/4 ||w||^2}, so this is scikit-learn's {@code LogisticRegression(C)} with
 * {@code C = 2 / (l2 n)} ({@link #equivalentC}) on {@code n} training rows.
 *
 * <pre>
 * logistic: {l2: 1.0e-3, learning_rate: 1.0e-2, epochs: 100, batch_size: 256, patience: 10}
 * </pre>
 *
 * @param l2 weight-decay coefficient, >= 0
 * @param learningRate Adam's step size
 * @param epochs most passes over the training rows
 * @param batchSize rows per update
 * @param patience epochs without a better validation loss before stopping (0: never stop early)
 */
public record LogisticSettings(Double l2, Double learningRate, Integer epochs, Integer batchSize, Integer patience) {
    public static final LogisticSettings DEFAULT = new LogisticSettings(null, null, null, null, null);

    public LogisticSettings {
        l2 = ConfigDefaults.nonNegative("l2", l2, 1e-3);
        learningRate = ConfigDefaults.positive("learning_rate", learningRate, 1e-2);
        epochs = ConfigDefaults.positive("epochs", epochs, 100);
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 256);
        patience = ConfigDefaults.nonNegative("patience", patience, 10);
    }

    /** scikit-learn's {@code C} with the same optimum as {@code l2} on {@code n} training rows (see above). */
    public static double equivalentC(double l2, int n) {
        return 2 / (l2 * n);
    }

    ProbeSettings common() {
        return new ProbeSettings(l2, learningRate, epochs, batchSize, patience);
    }
}
