package io.layerwise.trainers.probes;

import io.layerwise.datasets.config.ConfigDefaults;

/**
 * Hyperparameters of the logistic-regression probe {@code sigmoid(w.x + b)} on standardized features.
 * Both solvers minimize the same objective, the mean (optionally class-weighted) cross-entropy plus
 * {@code (l2/2) ||w||^2} on the weights (not the bias), which is scikit-learn's
 * {@code LogisticRegression(C)} with {@code C = 1 / (l2 n)} ({@link #equivalentC}) on {@code n}
 * training rows:
 * <ul>
 *   <li>{@code lbfgs} (default): L-BFGS to the optimum ({@link LogisticLbfgs}), as scikit-learn; the
 *       validation loss is recorded per iteration; {@code epochs}, {@code batch_size}, {@code patience} and
 *       {@code learning_rate} do not apply.</li>
 *   <li>{@code adam}: a Deeplearning4j 2-way softmax network trained with Adam and early stopping on the
 *       validation loss. Its logit difference {@code w = W_1 - W_0} is the exported weight vector; DL4J's
 *       penalty {@code (c/2)(||W_0||^2 + ||W_1||^2)} is {@code (c/4)||w||^2} at the symmetric optimum,
 *       so it is given {@code c = 2 l2}.</li>
 * </ul>
 *
 * <pre>
 * logistic: {solver: lbfgs, l2: 1.0e-3, tolerance: 1.0e-6}
 * logistic: {solver: adam, l2: 1.0e-3, learning_rate: 1.0e-2, epochs: 100, batch_size: 256, patience: 10}
 * </pre>
 *
 * @param solver {@code lbfgs} or {@code adam}
 * @param l2 weight-decay coefficient, >= 0
 * @param tolerance L-BFGS stops when no gradient component exceeds it
 * @param learningRate Adam's step size
 * @param epochs most passes over the training rows (Adam)
 * @param batchSize rows per update (Adam)
 * @param patience epochs without a better validation loss before stopping (Adam; 0: never stop early)
 */
public record LogisticSettings(String solver, Double l2, Double tolerance, Double learningRate, Integer epochs,
        Integer batchSize, Integer patience) {
    public static final LogisticSettings DEFAULT = new LogisticSettings(null, null, null, null, null, null, null);
    public static final String LBFGS = "lbfgs";
    public static final String ADAM = "adam";

    public LogisticSettings {
        solver = solver == null ? LBFGS : solver;
        if (!solver.equals(LBFGS) && !solver.equals(ADAM)) {
            throw new io.layerwise.datasets.config.ConfigFieldException("solver", "must be lbfgs or adam, got " + solver);
        }
        l2 = ConfigDefaults.nonNegative("l2", l2, 1e-3);
        tolerance = ConfigDefaults.positive("tolerance", tolerance, 1e-6);
        learningRate = ConfigDefaults.positive("learning_rate", learningRate, 1e-2);
        epochs = ConfigDefaults.positive("epochs", epochs, 100);
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 256);
        patience = ConfigDefaults.nonNegative("patience", patience, 10);
    }

    /** scikit-learn's {@code C} with the same optimum as {@code l2} on {@code n} training rows (see above). */
    public static double equivalentC(double l2, int n) {
        return 1 / (l2 * n);
    }

    /** The network settings of the {@code adam} solver, with DL4J's penalty scaled as documented above. */
    ProbeSettings common() {
        return new ProbeSettings(2 * l2, learningRate, epochs, batchSize, patience);
    }
}
