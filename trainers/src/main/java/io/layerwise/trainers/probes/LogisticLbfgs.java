package io.layerwise.trainers.probes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * L2-regularized logistic regression solved to its optimum by L-BFGS, the solver scikit-learn's
 * {@code LogisticRegression} uses by default: minimizes
 * {@code f(w, b) = (1/n) sum_i c_i [softplus(z_i) - y_i z_i] + (l2/2) ||w||^2} with {@code z_i = w.x_i + b}
 * ({@code c_i} the class weight, bias unpenalized), i.e. {@code LogisticRegression(C = 1 / (l2 n))}.
 * The problem is convex and smooth, so this reaches the same optimum as scikit-learn.
 *
 * <p>It stops when the largest gradient component falls below {@code tolerance} (scikit-learn's
 * {@code tol} plays the same role) or an iteration no longer lowers the objective.
 *
 * <p>Plain Java over the rows: every evaluation of {@code f} and its gradient is one pass over the
 * training rows ({@code O(n d)}), split across the cores. Small dense problems like probes spend their
 * time in those passes, not in BLAS calls, so no native library is involved (and none can
 * oversubscribe the cores next to DJL's threads). Search directions come from the usual two-loop
 * recursion over the last {@value #HISTORY} steps, step lengths from backtracking to the Armijo condition.
 */
final class LogisticLbfgs {
    private static final int HISTORY = 10;
    private static final int MAX_ITERATIONS = 1000;
    /** Fewer rows than this per task cost more in hand-offs than they save. */
    private static final int MIN_ROWS_PER_TASK = 1024;

    private LogisticLbfgs() {}

    /** Weights {@code [d]} and bias of the fitted model, and the iterations it took. */
    record Fit(float[] weights, float bias, int iterations) {
        /** Probability of class 1 for standardized rows. */
        double[] probabilities(float[][] rows) {
            double[] p = new double[rows.length];
            for (int i = 0; i < rows.length; i++) {
                double z = bias;
                for (int j = 0; j < weights.length; j++) {
                    z += (double) weights[j] * rows[i][j];
                }
                p[i] = sigmoid(z);
            }
            return p;
        }
    }

    /**
     * Fits on standardized rows {@code x} with 0/1 labels {@code y}; {@code onIteration} sees the
     * training and validation loss (without the penalty) after every iteration.
     */
    static Fit fit(float[][] x, long[] y, double[] classWeights, double l2, double tolerance, float[][] validationX,
            long[] validationY, Consumer<EpochLoss> onIteration) {
        int d = x[0].length;
        Objective objective = new Objective(x, y, classWeights, l2);
        double[] theta = new double[d + 1];
        double[] gradient = new double[d + 1];
        double f = objective.evaluate(theta, gradient);
        Deque<double[][]> history = new ArrayDeque<>(); // {s, y, {1 / s.y}}
        int iteration = 0;
        while (iteration < MAX_ITERATIONS && maxAbs(gradient) > tolerance) {
            iteration++;
            double[] direction = direction(gradient, history);
            double slope = dotD(gradient, direction);
            if (slope >= 0) { // not a descent direction (rounding): restart from steepest descent
                history.clear();
                direction = scaled(gradient, -1);
                slope = dotD(gradient, direction);
            }
            double step = history.isEmpty() ? Math.min(1, 1 / Math.sqrt(dotD(gradient, gradient))) : 1;
            double[] next = new double[d + 1];
            double[] nextGradient = new double[d + 1];
            double nextF;
            while (true) {
                for (int j = 0; j <= d; j++) {
                    next[j] = theta[j] + step * direction[j];
                }
                nextF = objective.evaluate(next, nextGradient);
                if (nextF <= f + 1e-4 * step * slope || step < 1e-20) {
                    break;
                }
                step /= 2;
            }
            double[] s = new double[d + 1];
            double[] change = new double[d + 1];
            for (int j = 0; j <= d; j++) {
                s[j] = next[j] - theta[j];
                change[j] = nextGradient[j] - gradient[j];
            }
            double sy = dotD(s, change);
            if (sy > 1e-12) {
                history.addLast(new double[][] {s, change, {1 / sy}});
                if (history.size() > HISTORY) {
                    history.removeFirst();
                }
            }
            double decrease = f - nextF;
            theta = next;
            gradient = nextGradient;
            f = nextF;
            onIteration.accept(new EpochLoss(iteration, objective.lastLoss(), objective.loss(theta, validationX, validationY)));
            if (decrease <= 1e-14 * Math.max(1, Math.abs(f))) {
                break;
            }
        }
        float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = (float) theta[j];
        }
        return new Fit(w, (float) theta[d], iteration);
    }

    /** {@code -H g} by the two-loop recursion, with {@code H0 = (s.y / y.y) I} from the newest pair. */
    private static double[] direction(double[] gradient, Deque<double[][]> history) {
        double[] q = gradient.clone();
        double[] alphas = new double[history.size()];
        int k = history.size() - 1;
        for (var it = history.descendingIterator(); it.hasNext(); k--) {
            double[][] pair = it.next();
            alphas[k] = pair[2][0] * dotD(pair[0], q);
            axpy(-alphas[k], pair[1], q);
        }
        if (!history.isEmpty()) {
            double[][] newest = history.peekLast();
            double gamma = 1 / (newest[2][0] * dotD(newest[1], newest[1]));
            for (int j = 0; j < q.length; j++) {
                q[j] *= gamma;
            }
        }
        k = 0;
        for (double[][] pair : history) {
            double beta = pair[2][0] * dotD(pair[1], q);
            axpy(alphas[k++] - beta, pair[0], q);
        }
        return scaled(q, -1);
    }

    /** The objective over the training rows, evaluated in parallel blocks of rows. */
    private static final class Objective {
        private final float[][] x;
        private final long[] y;
        private final double[] classWeights;
        private final double l2;
        private double lastLoss;

        Objective(float[][] x, long[] y, double[] classWeights, double l2) {
            this.x = x;
            this.y = y;
            this.classWeights = classWeights;
            this.l2 = l2;
        }

        /** The mean cross-entropy (without the penalty) at the last point evaluated: the curve's training loss. */
        double lastLoss() {
            return lastLoss;
        }

        /** {@code f(theta)}, with its gradient written into {@code gradient}. */
        double evaluate(double[] theta, double[] gradient) {
            int d = theta.length - 1;
            int tasks = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), x.length / MIN_ROWS_PER_TASK));
            int rowsPerTask = (x.length + tasks - 1) / tasks;
            double[][] partial = IntStream.range(0, tasks).parallel().mapToObj(t -> {
                double[] g = new double[d + 2]; // gradient, then the loss sum
                for (int i = t * rowsPerTask; i < Math.min(x.length, (t + 1) * rowsPerTask); i++) {
                    double z = dot(theta, x[i]) + theta[d];
                    double c = classWeights[(int) y[i]];
                    g[d + 1] += c * (softplus(z) - y[i] * z);
                    double r = c * (sigmoid(z) - y[i]);
                    float[] row = x[i];
                    for (int j = 0; j < d; j++) { // independent per j: the JIT vectorizes it
                        g[j] += r * row[j];
                    }
                    g[d] += r;
                }
                return g;
            }).toArray(double[][]::new);
            double loss = 0;
            java.util.Arrays.fill(gradient, 0);
            for (double[] g : partial) {
                for (int j = 0; j <= d; j++) {
                    gradient[j] += g[j];
                }
                loss += g[d + 1];
            }
            double penalty = 0;
            for (int j = 0; j <= d; j++) {
                gradient[j] /= x.length;
            }
            for (int j = 0; j < d; j++) {
                gradient[j] += l2 * theta[j];
                penalty += theta[j] * theta[j];
            }
            lastLoss = loss / x.length;
            return lastLoss + 0.5 * l2 * penalty;
        }

        /** Mean class-weighted cross-entropy of {@code rows} without the penalty: the reported loss curve. */
        double loss(double[] theta, float[][] rows, long[] labels) {
            int d = theta.length - 1;
            double sum = 0;
            for (int i = 0; i < rows.length; i++) {
                double z = dot(theta, rows[i]) + theta[d];
                sum += classWeights[(int) labels[i]] * (softplus(z) - labels[i] * z);
            }
            return sum / rows.length;
        }
    }

    private static double softplus(double z) {
        return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    static double sigmoid(double z) {
        return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
    }

    /**
     * {@code a.b} over {@code b}'s length ({@code a} may carry the bias after it), with four running
     * sums so consecutive additions do not wait on each other.
     */
    private static double dot(double[] a, float[] b) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < b.length; j += 4) {
            s0 += a[j] * b[j];
            s1 += a[j + 1] * b[j + 1];
            s2 += a[j + 2] * b[j + 2];
            s3 += a[j + 3] * b[j + 3];
        }
        for (; j < b.length; j++) {
            s0 += a[j] * b[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double dotD(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int j = 0; j < x.length; j++) {
            y[j] += a * x[j];
        }
    }

    private static double[] scaled(double[] v, double a) {
        double[] out = new double[v.length];
        for (int j = 0; j < v.length; j++) {
            out[j] = a * v[j];
        }
        return out;
    }

    private static double maxAbs(double[] v) {
        double max = 0;
        for (double x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }
}
