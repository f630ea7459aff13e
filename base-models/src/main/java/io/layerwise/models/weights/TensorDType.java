package io.layerwise.models.weights;

import io.layerwise.models.ModelException;

/**
 * Element types that can appear in a safetensors file, with their on-disk width. Only the floating
 * types are weights; the integer types appear in reference files (token ids).
 */
public enum TensorDType {
    F32(4),
    F16(2),
    BF16(2),
    F64(8),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    private final int bytes;

    TensorDType(int bytes) {
        this.bytes = bytes;
    }

    /** Width of one element in bytes. */
    public int bytes() {
        return bytes;
    }

    /** Whether a weight of this type can be widened to float32 by the loader. */
    public boolean isFloatingWeight() {
        return this == F32 || this == F16 || this == BF16;
    }

    /** Parses the safetensors dtype string ({@code "F32"}, {@code "BF16"}, ...). */
    public static TensorDType parse(String name, String where) {
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new ModelException(where + ": unsupported safetensors dtype '" + name + "'");
        }
    }
}
