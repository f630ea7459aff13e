package io.layerwise.models.weights;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Widens 16-bit floating weights to float32 in Java, into direct buffers that DJL can wrap.
 *
 * <p>bf16 must never reach DJL as a bf16 array: its PyTorch engine maps only the first nine
 * {@code DataType} ordinals to torch types and aborts the JVM on BFLOAT16 (PLATFORM.md). bf16 is the
 * upper half of an IEEE float32, so widening is a 16-bit shift and exact. f16 is widened here too, so
 * no computation ever runs in f16 (which is about a hundred times slower on CPU).
 */
public final class Float32Widening {
    private Float32Widening() {}

    /** Returns a direct, native-order float32 buffer holding {@code numel} widened values. */
    public static ByteBuffer widen(ByteBuffer source, TensorDType dtype, long numel) {
        int n = Math.toIntExact(numel);
        ByteBuffer out = ByteBuffer.allocateDirect(Math.multiplyExact(n, 4)).order(ByteOrder.nativeOrder());
        FloatBuffer dst = out.asFloatBuffer();
        ShortBuffer src = source.duplicate().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        switch (dtype) {
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    dst.put(i, Float.intBitsToFloat((src.get(i) & 0xffff) << 16));
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst.put(i, Float16.toFloat(src.get(i)));
                }
            }
            default -> throw new IllegalArgumentException("not a 16-bit float type: " + dtype);
        }
        return out;
    }

    /** Rounds float32 to the nearest bf16 (ties to even), as torch's {@code .to(torch.bfloat16)} does. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
