package io.layerwise.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in Hugging Face's non-interleaved "rotate_half" layout: dimension j is
 * paired with {@code j + d/2}, and {@code x' = x cos + rotate_half(x) sin} with
 * {@code rotate_half(x) = [-x2, x1]}. The angles are {@code position * inv_freq}, repeated twice
 * along the head dimension, computed per sequence from its own positions so that padding does not
 * shift them.
 */
public final class RotaryEmbedding {
    private final NDArray cos;
    private final NDArray sin;
    private final int half;

    private RotaryEmbedding(NDArray cos, NDArray sin, int half) {
        this.cos = cos;
        this.sin = sin;
        this.half = half;
    }

    /**
     * Angles for a batch.
     *
     * @param inverseFrequencies length {@code headDim / 2}
     * @param positions {@code [batch][seq]} position of each token
     */
    public static RotaryEmbedding forPositions(NDManager manager, float[] inverseFrequencies, long[][] positions) {
        int batch = positions.length;
        int seq = batch == 0 ? 0 : positions[0].length;
        int half = inverseFrequencies.length;
        int dim = 2 * half;
        float[] cos = new float[batch * seq * dim];
        float[] sin = new float[batch * seq * dim];
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                int base = (b * seq + t) * dim;
                float position = positions[b][t];
                for (int j = 0; j < half; j++) {
                    float angle = position * inverseFrequencies[j];
                    float c = (float) Math.cos(angle);
                    float s = (float) Math.sin(angle);
                    cos[base + j] = c;
                    cos[base + j + half] = c;
                    sin[base + j] = s;
                    sin[base + j + half] = s;
                }
            }
        }
        // [batch, seq, 1, dim] broadcasts over the head axis of [batch, seq, heads, dim]
        Shape shape = new Shape(batch, seq, 1, dim);
        return new RotaryEmbedding(manager.create(cos, shape), manager.create(sin, shape), half);
    }

    /** Rotates {@code x} of shape {@code [batch, seq, heads, headDim]}. */
    public NDArray apply(NDArray x) {
        NDArray x1 = x.get(new NDIndex("..., :{}", half));
        NDArray x2 = x.get(new NDIndex("..., {}:", half));
        NDArray rotated = x2.neg().concat(x1, -1);
        return x.mul(cos).addi(rotated.muli(sin));
    }
}
