package io.layerwise.datasets.extract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * How a text's token vectors become store rows. Pooling uses only the text's own tokens, found through
 * the batch's attention mask, so the result does not depend on padding side or on the other texts in
 * the batch.
 */
public enum Pooling {
    /** Mean of the valid tokens' vectors. */
    MEAN,
    /** The last valid token's vector (the usual choice for decoders). */
    LAST,
    /** Element-wise maximum over the valid tokens. */
    MAX,
    /** No pooling: one row per valid token, mapped back by {@code token_index.npy}. */
    NONE;

    @JsonCreator
    public static Pooling fromConfig(String name) {
        return ConfigEnums.parse(Pooling.class, name);
    }

    @JsonValue
    public String configName() {
        return ConfigEnums.configName(this);
    }

    /**
     * Pools row {@code b} of a captured {@code [batch, width, dim]} tensor, read through {@code values}
     * (absolute gets, so a view of the tensor's own memory works and nothing is copied to the heap):
     * {@code dim} floats, or {@code dim} per valid token for {@link #NONE}.
     */
    public float[] pool(FloatBuffer values, int[] mask, int b, int width, int dim) {
        int rowStart = b * width * dim;
        int valid = 0;
        for (int m : mask) {
            valid += m;
        }
        if (valid == 0) {
            throw new IllegalArgumentException("row " + b + " of the batch has no valid token");
        }
        float[] out = new float[this == NONE ? valid * dim : dim];
        switch (this) {
            case MEAN -> {
                // summed in double: the mean of a long text then does not depend on float rounding order
                double[] sum = new double[dim];
                for (int t = 0; t < width; t++) {
                    if (mask[t] == 1) {
                        int base = rowStart + t * dim;
                        for (int d = 0; d < dim; d++) {
                            sum[d] += values.get(base + d);
                        }
                    }
                }
                for (int d = 0; d < dim; d++) {
                    out[d] = (float) (sum[d] / valid);
                }
            }
            case LAST -> {
                int last = width - 1;
                while (mask[last] == 0) {
                    last--;
                }
                values.get(rowStart + last * dim, out, 0, dim);
            }
            case MAX -> {
                Arrays.fill(out, Float.NEGATIVE_INFINITY);
                for (int t = 0; t < width; t++) {
                    if (mask[t] == 1) {
                        int base = rowStart + t * dim;
                        for (int d = 0; d < dim; d++) {
                            out[d] = Math.max(out[d], values.get(base + d));
                        }
                    }
                }
            }
            case NONE -> {
                int row = 0;
                for (int t = 0; t < width; t++) {
                    if (mask[t] == 1) {
                        values.get(rowStart + t * dim, out, row++ * dim, dim);
                    }
                }
            }
        }
        return out;
    }
}
