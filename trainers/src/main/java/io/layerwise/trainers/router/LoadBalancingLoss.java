package io.layerwise.trainers.router;

import org.nd4j.autodiff.samediff.SDVariable;

/**
 * MoH's load-balancing loss over n routed heads (Jin et al. 2024, Eq. 5; SkyworkAI/MoH):
 * {@code L_load = sum_i P_i f_i}, with {@code P_i} the mean routing probability of head i over the
 * tokens and {@code f_i} the fraction of tokens whose top-k selection contains head i. MoH's code computes
 * {@code mean_i(P_i f_i) * n^2}, i.e. {@code n * sum_i P_i f_i}; that scaling is used here, so a perfectly
 * balanced routing ({@code P_i = 1/n}, {@code f_i = k/n}) scores k and a collapsed one (every token
 * sends all probability to the same k heads) scores up to n. {@code f_i} comes from the hard selection
 * and carries no gradient; the gradient flows through {@code P_i}. MoH averages the per-layer losses
 * over layers; routers here are trained layer by layer, each on its own
 * {@code recon_l + beta * L_load,l}, which has the same minimizers as the layer average.
 */
public final class LoadBalancingLoss {
    private LoadBalancingLoss() {}

    /** {@code n * sum_i P_i f_i} of probabilities {@code [tokens][n]} and selections {@code [tokens][n]}. */
    public static double value(float[][] probabilities, boolean[][] selected) {
        int n = probabilities[0].length;
        double[] p = new double[n];
        double[] f = new double[n];
        for (int t = 0; t < probabilities.length; t++) {
            for (int i = 0; i < n; i++) {
                p[i] += probabilities[t][i];
                f[i] += selected[t][i] ? 1 : 0;
            }
        }
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (p[i] / probabilities.length) * (f[i] / probabilities.length);
        }
        return n * sum;
    }

    /** The same in SameDiff, for probabilities and a float mask {@code [tokens, n]}. */
    public static SDVariable of(SDVariable probabilities, SDVariable mask, int n) {
        return probabilities.mean(0).mul(mask.mean(0)).sum().mul((double) n);
    }
}
