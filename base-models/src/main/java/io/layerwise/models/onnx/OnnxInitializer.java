package io.layerwise.models.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A constant tensor stored in an ONNX graph (a weight, or an index table such as
 * {@code embeddings.position_ids}), with its bytes still inside the model file.
 *
 * @param name tensor name as stored; exporters give unnamed ones names like {@code onnx::MatMul_787}
 * @param dims dimensions, row-major
 * @param dataType ONNX {@code TensorProto.DataType} code ({@link #FLOAT} for float32)
 * @param data the tensor's little-endian bytes ({@code raw_data} or packed {@code float_data}), a
 *     read-only view of the file; empty when the values sit in another typed field ({@code int64_data}
 *     and the like), which exporters use only for small integer constants
 * @param fileOffset absolute byte offset of {@code data} in the model file
 */
public record OnnxInitializer(String name, long[] dims, int dataType, ByteBuffer data, long fileOffset) {
    /** {@code TensorProto.DataType.FLOAT}. */
    public static final int FLOAT = 1;

    public OnnxInitializer {
        dims = dims.clone();
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** A fresh read-only view of the bytes (position 0, little-endian), safe to consume. */
    @Override
    public ByteBuffer data() {
        return data.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Number of elements (1 for a scalar). */
    public long numel() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public boolean isFloat() {
        return dataType == FLOAT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OnnxInitializer t
                && name.equals(t.name)
                && Arrays.equals(dims, t.dims)
                && dataType == t.dataType
                && fileOffset == t.fileOffset;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return name + " type " + dataType + Arrays.toString(dims);
    }
}
