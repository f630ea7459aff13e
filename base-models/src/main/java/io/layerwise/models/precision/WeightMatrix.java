package io.layerwise.models.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;

/**
 * A frozen weight matrix {@code [rows, columns]} (a linear layer's {@code W [out, in]}, a token
 * table) and the precision its products run in. Either float32 and resident, or stored in bf16:
 * then with {@link Precision#F32} each product widens the matrix just before it and frees the
 * float32 copy right after (so memory holds the mapped file plus one widened matrix), and with
 * {@link Precision#BF16} the product runs in bf16. Every result is float32.
 *
 * <pre>{@code
 * NDArray y = matrix.linear(x, bias);   // x W^T + b
 * NDArray h = tokens.rows(ids);         // embedding lookup
 * }</pre>
 */
public sealed interface WeightMatrix permits WeightMatrix.Float32, WeightMatrix.Bf16 {

    /**
     * A widened bf16 matrix is computed with in row chunks of at most this many elements (256 MiB of
     * float32), so a large LM head (Qwen2.5-14B: 152064 x 5120) never needs its whole float32 copy.
     */
    long MAX_WIDENED_ELEMENTS = 1L << 26;

    /** A resident float32 matrix, computed with as before this type existed. */
    static WeightMatrix of(NDArray float32) {
        return new Float32(float32);
    }

    /** A bf16 matrix computed with in {@code compute} precision. */
    static WeightMatrix of(Bf16Tensor stored, Precision compute) {
        return new Bf16(stored, compute);
    }

    Shape getShape();

    /** The precision products run in. */
    Precision precision();

    /** {@code x W^T + b} (bias may be null), float32, in {@code x}'s manager. */
    NDArray linear(NDArray x, NDArray bias);

    /** Rows {@code ids} (int64) as float32 {@code [..., columns]}: an embedding lookup, exact in either precision. */
    NDArray rows(NDArray ids);

    /** The values as float32 (widened when stored in bf16). */
    float[] toFloatArray();

    /** The transposed matrix, a view (GPT-2 stores {@code Conv1D} weights {@code [in, out]}). */
    WeightMatrix transpose();

    /** Rows {@code [start, start + count)}, a view. */
    WeightMatrix narrowRows(long start, long count);

    default long rowCount() {
        return getShape().get(0);
    }

    default long columnCount() {
        return getShape().get(1);
    }

    /** A float32 matrix held in memory (or mapped from a float32 file). */
    record Float32(NDArray weight) implements WeightMatrix {
        @Override
        public Shape getShape() {
            return weight.getShape();
        }

        @Override
        public Precision precision() {
            return Precision.F32;
        }

        @Override
        public NDArray linear(NDArray x, NDArray bias) {
            return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
        }

        @Override
        public NDArray rows(NDArray ids) {
            return ids.getNDArrayInternal().embedding(ids, weight, SparseFormat.DENSE).singletonOrThrow();
        }

        @Override
        public float[] toFloatArray() {
            return weight.toFloatArray();
        }

        @Override
        public WeightMatrix transpose() {
            return new Float32(weight.transpose());
        }

        @Override
        public WeightMatrix narrowRows(long start, long count) {
            return new Float32(weight.get(new NDIndex("{}:{}", start, start + count)));
        }
    }

    /** A matrix stored in bf16 (mapped from the checkpoint, or rounded at load), computed with in {@code compute}. */
    record Bf16(Bf16Tensor stored, Precision compute) implements WeightMatrix {
        @Override
        public Shape getShape() {
            return stored.getShape();
        }

        @Override
        public Precision precision() {
            return compute;
        }

        @Override
        public NDArray linear(NDArray x, NDArray bias) {
            if (compute == Precision.BF16) {
                NDArray y = stored.linear(x);
                // the bias is added in float32, which is at least as accurate as HF's bf16 addmm
                return bias == null ? y : y.addi(bias);
            }
            long rows = rowCount();
            long chunk = Math.max(1, MAX_WIDENED_ELEMENTS / columnCount());
            if (rows <= chunk) {
                return widenedProduct(stored, x, bias);
            }
            NDList parts = new NDList();
            try {
                for (long start = 0; start < rows; start += chunk) {
                    long count = Math.min(chunk, rows - start);
                    NDArray partBias = bias == null ? null : bias.get(new NDIndex("{}:{}", start, start + count));
                    try (Bf16Tensor part = stored.narrowRows(start, count)) {
                        parts.add(widenedProduct(part, x, partBias));
                    } finally {
                        if (partBias != null) {
                            partBias.close();
                        }
                    }
                }
                return NDArrays.concat(parts, -1);
            } finally {
                parts.close();
            }
        }

        /** Widens {@code w}, multiplies, and frees the float32 copy at once rather than at the end of the block. */
        private static NDArray widenedProduct(Bf16Tensor w, NDArray x, NDArray bias) {
            NDArray widened = w.widen(x.getManager());
            try {
                return x.getNDArrayInternal().linear(x, widened, bias).singletonOrThrow();
            } finally {
                NDScope.unregister(widened);
                widened.close();
            }
        }

        @Override
        public NDArray rows(NDArray ids) {
            return stored.embedding(ids);
        }

        @Override
        public float[] toFloatArray() {
            return stored.toFloatArray();
        }

        @Override
        public WeightMatrix transpose() {
            return new Bf16(stored.transpose(), compute);
        }

        @Override
        public WeightMatrix narrowRows(long start, long count) {
            return new Bf16(stored.narrowRows(start, count), compute);
        }
    }
}
