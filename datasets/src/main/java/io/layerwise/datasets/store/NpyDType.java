package io.layerwise.datasets.store;

import java.util.Arrays;
import java.util.Optional;

/**
 * The element types an activation store writes, with their numpy {@code descr} strings (little endian):
 * activations as {@code float16} or {@code float32}, labels and token indices as {@code int64}, splits
 * as {@code int8}.
 */
public enum NpyDType {
    F16("<f2", 2),
    F32("<f4", 4),
    I64("<i8", 8),
    I8("|i1", 1);

    private final String descr;
    private final int bytes;

    NpyDType(String descr, int bytes) {
        this.descr = descr;
        this.bytes = bytes;
    }

    /** numpy's {@code descr}, e.g. {@code <f2}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The type with this {@code descr}; {@code <i1} is accepted for {@code |i1}, as numpy treats them alike. */
    public static Optional<NpyDType> ofDescr(String descr) {
        String normalized = descr.equals("<i1") ? "|i1" : descr;
        return Arrays.stream(values()).filter(t -> t.descr.equals(normalized)).findFirst();
    }
}
