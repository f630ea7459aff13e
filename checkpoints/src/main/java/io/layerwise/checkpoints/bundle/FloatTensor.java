package io.layerwise.checkpoints.bundle;

import java.util.Arrays;

/**
 * One named float32 tensor of a bundle: its shape and its values in row-major (C) order, as
 * safetensors and numpy lay them out.
 *
 * <pre>{@code
 * FloatTensor w = FloatTensor.matrix(new float[][] {{1, 2}, {3, 4}});  // shape [2, 2]
 * float[][] rows = w.matrix();
 * }</pre>
 *
 * @param shape dimensions, each {@code >= 0}
 * @param values {@code product(shape)} values
 */
public record FloatTensor(long[] shape, float[] values) {

    public FloatTensor {
        shape = shape.clone();
        long numel = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(shape));
            }
            numel = Math.multiplyExact(numel, d);
        }
        if (values.length != numel) {
            throw new IllegalArgumentException(values.length + " values for shape " + Arrays.toString(shape));
        }
        values = values.clone();
    }

    /** A rank-1 tensor. */
    public static FloatTensor vector(float[] values) {
        return new FloatTensor(new long[] {values.length}, values);
    }

    /** A rank-2 tensor from rows of equal length. */
    public static FloatTensor matrix(float[][] rows) {
        int columns = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * columns];
        for (int r = 0; r < rows.length; r++) {
            if (rows[r].length != columns) {
                throw new IllegalArgumentException("row " + r + " has " + rows[r].length + " values, row 0 has " + columns);
            }
            System.arraycopy(rows[r], 0, flat, r * columns, columns);
        }
        return new FloatTensor(new long[] {rows.length, columns}, flat);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    @Override
    public float[] values() {
        return values.clone();
    }

    /** The rows of a rank-2 tensor. */
    public float[][] matrix() {
        if (shape.length != 2) {
            throw new IllegalStateException("tensor of shape " + shapeText() + " is not a matrix");
        }
        int columns = (int) shape[1];
        float[][] rows = new float[(int) shape[0]][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = Arrays.copyOfRange(values, r * columns, (r + 1) * columns);
        }
        return rows;
    }

    /** The shape as text, e.g. {@code [1, 384]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FloatTensor t && Arrays.equals(shape, t.shape) && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "FloatTensor" + shapeText();
    }
}
