package io.layerwise.models.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import io.layerwise.models.ModelException;
import java.nio.file.Path;

/**
 * A bf16 tensor, and the only Layerwise type that holds one. DJL 0.35.1 cannot represent bf16: any
 * engine call that sends the array's dtype to native code ({@code softmax}, {@code zerosLike},
 * {@code toType}, creating or decoding a BFLOAT16 array) reaches a bare {@code throw;} and
 * terminates the JVM (PLATFORM.md, "bf16 through DJL"). So the bf16 array is private here and
 * this class offers only operations that run inside the TorchScript kernels and hand back float32
 * (or another {@code Bf16Tensor}): widening, a bf16 linear product, an embedding lookup, and views.
 * No method returns the bf16 array itself; {@code Bf16TensorIsolationTest} runs every public
 * method in a child JVM to show that none of them aborts.
 *
 * <pre>{@code
 * try (Bf16Tensor w = Bf16Tensor.roundedFrom(manager.randomNormal(new Shape(64, 32)))) {
 *     NDArray y = w.linear(x);        // x [.., 32] float32 -> y [.., 64] float32, bf16 product
 *     NDArray exact = w.widen(manager); // the bf16 values as float32, exact
 * }
 * }</pre>
 */
public final class Bf16Tensor implements AutoCloseable {
    private final PtNDArray values;
    private final Shape shape;

    private Bf16Tensor(PtNDArray values, Shape shape) {
        this.values = values;
        this.shape = shape;
    }

    /**
     * The first {@code elements} bf16 values of a file, mapped read-only and lazily: nothing is read
     * or copied until used, and the pages stay clean page cache (not the process's anonymous memory).
     * The mapping lives until this tensor and every view of it are closed.
     */
    static Bf16Tensor mapFile(Path file, long elements, NDManager manager) {
        return new Bf16Tensor(Bf16Kernels.get().mapFile(file.toString(), elements, manager), new Shape(elements));
    }

    /** Elements {@code [start, start + shape.size())} of this flat tensor, as a view of {@code shape}. */
    Bf16Tensor slice(long start, Shape viewShape) {
        requireOpen();
        if (shape.dimension() != 1 || start < 0 || start + viewShape.size() > shape.get(0)) {
            throw new IllegalArgumentException("slice [" + start + ", " + (start + viewShape.size()) + ") of " + this);
        }
        return new Bf16Tensor(Bf16Kernels.get().slice(values, start, viewShape.size(), viewShape.getShape()), viewShape);
    }

    /**
     * {@code values} (float32, or float16) rounded to the nearest bf16, ties to even: a new tensor
     * in the same manager; {@code values} is left as it is.
     */
    public static Bf16Tensor roundedFrom(NDArray values) {
        DataType type = values.getDataType();
        if (type != DataType.FLOAT32 && type != DataType.FLOAT16) {
            throw new IllegalArgumentException("only float32 or float16 arrays can be rounded to bf16, not " + type);
        }
        return new Bf16Tensor(Bf16Kernels.get().roundToBf16(values), values.getShape());
    }

    public Shape getShape() {
        return shape;
    }

    /** Bytes the values occupy (two per element). */
    public long bytes() {
        return 2 * shape.size();
    }

    /** The values widened to a new float32 array in {@code manager} (exact: bf16 is a truncated float32). */
    public NDArray widen(NDManager manager) {
        requireOpen();
        return Bf16Kernels.get().widen(values, shape, manager);
    }

    /** The values as a Java float array (widened, exact). */
    public float[] toFloatArray() {
        requireOpen();
        try (NDManager temporary = values.getManager().newSubManager()) {
            return widen(temporary).toFloatArray();
        }
    }

    /**
     * {@code x W^T} for this tensor as {@code W [out, in]}: {@code x} (float32 {@code [..., in]}) is
     * rounded to bf16, the product runs in bf16 (float32 accumulation inside the kernel) and comes back
     * widened to float32, in {@code x}'s manager.
     */
    public NDArray linear(NDArray x) {
        requireOpen();
        requireMatrix("linear");
        if (x.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("bf16 linear takes float32 inputs, not " + x.getDataType());
        }
        long in = x.getShape().get(x.getShape().dimension() - 1);
        if (in != shape.get(1)) {
            throw new IllegalArgumentException("input width " + in + " does not match " + this + " ([out, in])");
        }
        return Bf16Kernels.get().linear(x, values, shape.get(0));
    }

    /** Rows {@code ids} (int64, any shape) of this {@code [rows, width]} table as float32 {@code [..., width]}. */
    public NDArray embedding(NDArray ids) {
        requireOpen();
        requireMatrix("embedding");
        if (ids.getDataType() != DataType.INT64) {
            throw new IllegalArgumentException("embedding ids must be int64, not " + ids.getDataType());
        }
        return Bf16Kernels.get().embedding(ids, values, shape.get(1));
    }

    /** Rows {@code [start, start + count)} as a view (no copy); close it when done. */
    public Bf16Tensor narrowRows(long start, long count) {
        requireOpen();
        if (start < 0 || count < 0 || start + count > shape.get(0)) {
            throw new IllegalArgumentException("rows [" + start + ", " + (start + count) + ") of " + this);
        }
        long[] viewShape = shape.getShape().clone();
        viewShape[0] = count;
        return new Bf16Tensor(Bf16Kernels.get().narrowRows(values, start, count), new Shape(viewShape));
    }

    /** The transposed matrix as a view (no copy); close it when done. */
    public Bf16Tensor transpose() {
        requireOpen();
        requireMatrix("transpose");
        return new Bf16Tensor(Bf16Kernels.get().transpose(values), new Shape(shape.get(1), shape.get(0)));
    }

    /** Whether the held tensor really is bf16 (for tests: nothing was widened on the way in). */
    boolean isStoredAsBf16() {
        requireOpen();
        return Bf16Kernels.get().isBf16(values);
    }

    public boolean isClosed() {
        return values.isReleased();
    }

    /** Frees this handle; views share the storage and keep it (and a file mapping) alive until closed. */
    @Override
    public void close() {
        values.close();
    }

    @Override
    public String toString() {
        return "bf16" + shape + (isClosed() ? " (closed)" : "");
    }

    private void requireOpen() {
        if (isClosed()) {
            throw new ModelException("bf16 tensor " + shape + " is already closed (its model or scope was closed)");
        }
    }

    private void requireMatrix(String operation) {
        if (shape.dimension() != 2) {
            throw new IllegalArgumentException(operation + " needs a matrix, not " + this);
        }
    }
}
