package io.layerwise.trainers.pruning;

/**
 * Probe Pruning's PPsp importance (Le et al., ICLR 2025; {@code ppwandasp} in Qi-Le1/Probe_Pruning):
 * the probe's live channel energy {@code p_j} is blended with the general history {@code g_j} (both
 * mean squared activations per token, so on the same scale) as {@code E_j = r_j p_j + (1 - r_j) g_j}
 * with {@code r_j = p_j / (p_j + g_j)} (or a fixed ratio), and channel {@code j} of a projection with
 * weight {@code W [out, channels]} scores {@code || E_j * W[:, j]^2 ||_2}. Attention is scored per head:
 * the L2 norm of its channels' scores (the paper's per-head norm over the head's channels and the
 * output dimension).
 */
public final class ProbeImportance {
    /** Keeps {@code r_j} finite where both energies are zero (the reference adds the same constant). */
    private static final double EPSILON = 1e-6;

    private ProbeImportance() {}

    /** {@code E_j}: the dynamic blend, or {@code fixedProbeRatio * p_j + (1 - fixedProbeRatio) * g_j} when it is not null. */
    public static double[] blend(float[] probe, float[] history, Double fixedProbeRatio) {
        if (probe.length != history.length) {
            throw new IllegalArgumentException("probe and history energies differ in length: " + probe.length + " vs "
                    + history.length);
        }
        double[] out = new double[probe.length];
        for (int j = 0; j < probe.length; j++) {
            double r = fixedProbeRatio != null ? fixedProbeRatio : probe[j] / (probe[j] + history[j] + EPSILON);
            out[j] = r * probe[j] + (1 - r) * history[j];
        }
        return out;
    }

    /** {@code || W[:, j]^2 ||_2 = sqrt(sum_i W_ij^4)} for each column of a row-major {@code [rows, columns]} matrix. */
    public static double[] columnNorms(float[] weight, int rows, int columns) {
        if (weight.length != (long) rows * columns) {
            throw new IllegalArgumentException("weight has " + weight.length + " values, not " + rows + " x " + columns);
        }
        double[] sums = new double[columns];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < columns; j++) {
                double w2 = (double) weight[i * columns + j] * weight[i * columns + j];
                sums[j] += w2 * w2;
            }
        }
        for (int j = 0; j < columns; j++) {
            sums[j] = Math.sqrt(sums[j]);
        }
        return sums;
    }

    /** {@code || E_j * W[:, j]^2 ||_2 = E_j * || W[:, j]^2 ||_2} (energies are non-negative). */
    public static double[] channelImportance(double[] energy, double[] columnNorms) {
        double[] out = new double[energy.length];
        for (int j = 0; j < energy.length; j++) {
            out[j] = energy[j] * columnNorms[j];
        }
        return out;
    }

    /** Per head, the L2 norm of the scores of its {@code headDim} consecutive channels. */
    public static double[] headImportance(double[] channelImportance, int headDim) {
        double[] out = new double[channelImportance.length / headDim];
        for (int h = 0; h < out.length; h++) {
            double sum = 0;
            for (int c = h * headDim; c < (h + 1) * headDim; c++) {
                sum += channelImportance[c] * channelImportance[c];
            }
            out[h] = Math.sqrt(sum);
        }
        return out;
    }
}
