package io.layerwise.checkpoints.bundle;

import java.util.Arrays;

/**
 * One linear layer {@code y = W x + b} of a probe, in PyTorch's {@code nn.Linear} layout: the weight is
 * {@code [out][in]}, so {@code load_state_dict} takes it unchanged.
 *
 * @param weight {@code [out][in]}, rows of equal length
 * @param bias {@code [out]}
 */
public record AffineLayer(float[][] weight, float[] bias) {

    public AffineLayer {
        if (weight.length == 0 || weight[0].length == 0) {
            throw new IllegalArgumentException("an affine layer needs at least one input and one output");
        }
        if (bias.length != weight.length) {
            throw new IllegalArgumentException("bias has " + bias.length + " values for " + weight.length + " outputs");
        }
        float[][] copy = new float[weight.length][];
        for (int o = 0; o < weight.length; o++) {
            if (weight[o].length != weight[0].length) {
                throw new IllegalArgumentException("weight row " + o + " has " + weight[o].length + " values, row 0 has "
                        + weight[0].length);
            }
            copy[o] = weight[o].clone();
        }
        weight = copy;
        bias = bias.clone();
    }

    public int inputs() {
        return weight[0].length;
    }

    public int outputs() {
        return weight.length;
    }

    /** {@code W x + b} in double precision. */
    double[] apply(double[] x) {
        double[] y = new double[weight.length];
        for (int o = 0; o < weight.length; o++) {
            double sum = bias[o];
            float[] row = weight[o];
            for (int i = 0; i < row.length; i++) {
                sum += row[i] * x[i];
            }
            y[o] = sum;
        }
        return y;
    }

    @Override
    public float[][] weight() {
        float[][] copy = new float[weight.length][];
        for (int o = 0; o < weight.length; o++) {
            copy[o] = weight[o].clone();
        }
        return copy;
    }

    @Override
    public float[] bias() {
        return bias.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AffineLayer a && Arrays.deepEquals(weight, a.weight) && Arrays.equals(bias, a.bias);
    }

    @Override
    public int hashCode() {
        return Arrays.deepHashCode(weight) * 31 + Arrays.hashCode(bias);
    }

    @Override
    public String toString() {
        return "AffineLayer[" + outputs() + " x " + inputs() + "]";
    }
}
