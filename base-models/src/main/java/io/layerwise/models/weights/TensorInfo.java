package io.layerwise.models.weights;

import java.util.Arrays;

/**
 * Where one tensor lives: its name, element type, shape and the absolute byte range in its file.
 *
 * @param name tensor name as stored (Hugging Face {@code state_dict} name)
 * @param dtype element type on disk
 * @param shape dimensions, row-major
 * @param fileOffset absolute byte offset of the first element in the file
 * @param byteLength number of bytes of the tensor's data
 */
public record TensorInfo(String name, TensorDType dtype, long[] shape, long fileOffset, long byteLength) {

    public TensorInfo {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long numel() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** The shape as text, e.g. {@code [64, 192]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorInfo t
                && name.equals(t.name)
                && dtype == t.dtype
                && Arrays.equals(shape, t.shape)
                && fileOffset == t.fileOffset
                && byteLength == t.byteLength;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + " " + dtype + shapeText();
    }
}
