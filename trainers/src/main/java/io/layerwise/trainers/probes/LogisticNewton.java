package io.layerwise.trainers.probes;

import java.util.function.Consumer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * L2-regularized logistic regression solved exactly by Newton's method (iteratively reweighted least
 * squares) on ND4J: minimizes {@code (1/n) sum_i c_i CE(y_i, sigmoid(w.x_i + b)) + (l2/2) ||w||^2}
 * (bias unpenalized, {@code c_i} the class weight), which is scikit-learn's
 * {@code LogisticRegression(C = 1 / (l2 n))}. The problem is convex, so this reaches the optimum in a
 * handful of steps of {@code O(n d^2 + d^3)} each, where stochastic gradient descent only approaches it;
 * each step is halved until the objective decreases.
 */
final class LogisticNewton {
    private static final int MAX_STEPS = 100;
    private static final double TOLERANCE = 1e-7;

    private LogisticNewton() {}

    /** Weights {@code [d]} and bias of the fitted model. */
    record Fit(float[] weights, float bias, int steps) {}

    /**
     * Fits on standardized {@code x} ({@code [n, d]}) with labels {@code y}; {@code onStep} sees the
     * training and validation loss after every Newton step.
     */
    static Fit fit(INDArray x, long[] y, double[] classWeights, double l2, INDArray validationX, long[] validationY,
            Consumer<EpochLoss> onStep) {
        int n = (int) x.rows();
        int d = (int) x.columns();
        // double precision throughout: the Hessian's condition number is the square of the features'
        INDArray xa = Nd4j.hstack(x, Nd4j.ones(DataType.FLOAT, n, 1)).castTo(DataType.DOUBLE);
        INDArray labels = Nd4j.create(DataType.DOUBLE, n, 1);
        INDArray weights = Nd4j.create(DataType.DOUBLE, n, 1);
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, 0, y[i]);
            weights.putScalar(i, 0, classWeights[(int) y[i]] / n);
        }
        INDArray penalty = Nd4j.ones(DataType.DOUBLE, d + 1, 1).muli(l2);
        penalty.putScalar(d, 0, 0); // the bias is not penalized
        INDArray theta = Nd4j.zeros(DataType.DOUBLE, d + 1, 1);
        INDArray validation = Nd4j.hstack(validationX, Nd4j.ones(DataType.FLOAT, validationX.rows(), 1)).castTo(DataType.DOUBLE);
        double objective = objective(xa, labels, weights, penalty, theta);
        int step = 0;
        while (step < MAX_STEPS) {
            step++;
            INDArray p = Transforms.sigmoid(xa.mmul(theta), false);
            INDArray gradient = xa.transpose().mmul(p.sub(labels).muli(weights)).addi(penalty.mul(theta));
            INDArray curvature = p.mul(p.rsub(1.0)).muli(weights);
            INDArray scaled = xa.mulColumnVector(Transforms.sqrt(curvature, false));
            INDArray hessian = scaled.transpose().mmul(scaled).addi(Nd4j.diag(penalty.reshape(d + 1)));
            INDArray delta = Nd4j.linalg().solve(hessian, gradient);
            double next = objective(xa, labels, weights, penalty, theta.sub(delta));
            for (int halvings = 0; next > objective && halvings < 30; halvings++) {
                delta.divi(2);
                next = objective(xa, labels, weights, penalty, theta.sub(delta));
            }
            theta.subi(delta);
            double change = objective - next;
            objective = next;
            onStep.accept(new EpochLoss(step, loss(xa, y, classWeights, theta),
                    loss(validation, validationY, classWeights, theta)));
            if (delta.amaxNumber().doubleValue() < TOLERANCE || change < TOLERANCE * 1e-3) {
                break;
            }
        }
        float[] all = theta.reshape(d + 1).toFloatVector();
        float[] w = new float[d];
        System.arraycopy(all, 0, w, 0, d);
        return new Fit(w, all[d], step);
    }

    /** The regularized objective at {@code theta}. */
    private static double objective(INDArray xa, INDArray labels, INDArray weights, INDArray penalty, INDArray theta) {
        INDArray z = xa.mmul(theta);
        // CE = log(1 + e^z) - y z, computed stably as softplus
        INDArray ce = Transforms.softPlus(z, true).subi(z.mul(labels));
        return ce.muli(weights).sumNumber().doubleValue() + 0.5 * penalty.mul(theta).mul(theta).sumNumber().doubleValue();
    }

    /** Mean class-weighted cross-entropy, the same figure the network-trained probes report per epoch. */
    private static double loss(INDArray xa, long[] y, double[] classWeights, INDArray theta) {
        double[] z = xa.mmul(theta).reshape(xa.rows()).toDoubleVector();
        double sum = 0;
        for (int i = 0; i < z.length; i++) {
            double softplus = Math.max(z[i], 0) + Math.log1p(Math.exp(-Math.abs(z[i])));
            sum += classWeights[(int) y[i]] * (softplus - y[i] * z[i]);
        }
        return sum / z.length;
    }

    /** Probability of class 1 for standardized rows. */
    static double[] probabilities(INDArray x, Fit fit) {
        INDArray w = Nd4j.createFromArray(fit.weights()).reshape(fit.weights().length, 1);
        return Transforms.sigmoid(x.mmul(w).addi(fit.bias()), false).reshape(x.rows()).toDoubleVector();
    }
}
