package io.layerwise.trainers.router;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Relative reconstruction error of a block's attention output under per-token head gates:
 * {@code sqrt(sum_t ||W_o((g_t - 1) * o_t)||^2 / sum_t ||W_o o_t||^2)} over the tokens of a
 * {@link LayerData}; 0 for the dense model, 1 when the whole attention output is lost.
 */
public final class Reconstruction {
    private Reconstruction() {}

    /** Error with gates {@code [tokens][heads]}. */
    public static double relativeError(LayerData data, float[][] gates) {
        int d = data.headDim();
        INDArray g = Nd4j.create(gates).subi(1f);
        // [heads, heads * d] block of ones: spreads each head's gate over its channels
        INDArray spread = Nd4j.zeros(data.numHeads(), (long) data.numHeads() * d);
        for (int h = 0; h < data.numHeads(); h++) {
            spread.get(NDArrayIndex.point(h), NDArrayIndex.interval(h * d, (h + 1) * d)).assign(1);
        }
        INDArray perChannel = g.mmul(spread);
        INDArray woT = data.outputProjection().transpose();
        INDArray delta = data.heads().mul(perChannel).mmul(woT);
        INDArray dense = data.heads().mmul(woT);
        double num = delta.norm2Number().doubleValue();
        double den = dense.norm2Number().doubleValue();
        return num / den;
    }

    /** The router's gates for every token of {@code data}. */
    public static float[][] routerGates(HeadRouter router, LayerData data) {
        float[][] x = data.inputs().toFloatMatrix();
        float[][] gates = new float[x.length][];
        for (int t = 0; t < x.length; t++) {
            gates[t] = router.gates(x[t]);
        }
        return gates;
    }

    /** The same fixed gates for every token. */
    public static float[][] fixedGates(float[] gates, long tokens) {
        float[][] out = new float[(int) tokens][];
        for (int t = 0; t < out.length; t++) {
            out[t] = gates.clone();
        }
        return out;
    }
}
