package io.layerwise.trainers.router;

/**
 * A trained Mixture-of-Heads router of one block (MoH, Jin et al. 2024): the shared heads are always
 * on; the routed heads are scored by {@code W_r x} (x = the attention input of the token), softmaxed,
 * and the top k kept ({@link RankMask}), weighted as {@link GateWeighting} says. With MoH's two-way
 * weighting, {@code (a_s, a_r) = 2 softmax(W_m x)} scales the shared and the routed gates. This is the
 * inference form used inside the forward pass and in the export; {@link RouterTrainer} builds the same
 * computation in SameDiff.
 *
 * <pre>{@code
 * float[] weights = router.gates(x);   // one weight per head of the block, 0 for a dropped head
 * }</pre>
 *
 * @param layer block index
 * @param heads attention heads of the block
 * @param shared head indices always on
 * @param routed head indices the router chooses among, in the order of the rows of {@code routerWeight}
 * @param topK routed heads kept per token
 * @param weighting weights of the kept routed heads
 * @param routerWeight {@code W_r}, {@code [routed][H]} (PyTorch {@code Linear} layout, no bias)
 * @param mixWeight {@code W_m}, {@code [2][H]} for the two-way weighting, or null
 */
public record HeadRouter(int layer, int heads, int[] shared, int[] routed, int topK, GateWeighting weighting,
        float[][] routerWeight, float[][] mixWeight) {

    public HeadRouter {
        if (shared.length + routed.length != heads || routed.length == 0 || topK < 1 || topK > routed.length) {
            throw new IllegalArgumentException("router of layer " + layer + ": " + shared.length + " shared + "
                    + routed.length + " routed heads of " + heads + ", top " + topK);
        }
        if (routerWeight.length != routed.length) {
            throw new IllegalArgumentException("router of layer " + layer + " has " + routerWeight.length
                    + " score rows for " + routed.length + " routed heads");
        }
    }

    /** Width of the input x. */
    public int inputSize() {
        return routerWeight[0].length;
    }

    /** Routed-head logits {@code W_r x}. */
    public float[] logits(float[] x) {
        return affine(routerWeight, x);
    }

    /** Softmax of the routed-head logits. */
    public static float[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** The weight of every head of the block for one token. */
    public float[] gates(float[] x) {
        float[] logits = logits(x);
        float[] p = softmax(logits);
        boolean[] kept = RankMask.select(logits, topK);
        double keptMass = 0;
        for (int i = 0; i < p.length; i++) {
            keptMass += kept[i] ? p[i] : 0;
        }
        float sharedScale = 1f;
        float routedScale = 1f;
        if (mixWeight != null) {
            float[] mix = softmax(affine(mixWeight, x));
            sharedScale = 2 * mix[0];
            routedScale = 2 * mix[1];
        }
        float[] gates = new float[heads];
        for (int head : shared) {
            gates[head] = sharedScale;
        }
        for (int i = 0; i < routed.length; i++) {
            if (kept[i]) {
                float weight = weighting == GateWeighting.MASK ? 1f : (float) (topK * p[i] / Math.max(keptMass, Float.MIN_NORMAL));
                gates[routed[i]] = routedScale * weight;
            }
        }
        return gates;
    }

    /** Heads active per token: shared plus the k routed ones. */
    public int activeHeads() {
        return shared.length + topK;
    }

    private static float[] affine(float[][] weight, float[] x) {
        float[] out = new float[weight.length];
        for (int r = 0; r < weight.length; r++) {
            double s = 0;
            for (int c = 0; c < x.length; c++) {
                s += weight[r][c] * x[c];
            }
            out[r] = (float) s;
        }
        return out;
    }
}
