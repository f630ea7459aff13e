package io.layerwise.models.weights;

/**
 * IEEE 754 half precision ({@code numpy.float16}, {@code '<f2'}) conversions, which Java 17 lacks
 * ({@code Float.floatToFloat16} arrived in Java 20). Narrowing rounds to nearest, ties to even, as
 * numpy's {@code astype(np.float16)} does: values from 65520 up become infinity, tiny values become
 * subnormals or signed zero, and NaN stays NaN. Widening is exact.
 *
 * <pre>{@code
 * short h = Float16.fromFloat(0.1f);   // 0x2e66
 * float f = Float16.toFloat(h);        // 0.099975586
 * }</pre>
 */
public final class Float16 {
    /** 2^16 as float bits: every magnitude from here up overflows half precision. */
    private static final int OVERFLOW = (127 + 16) << 23;
    /** Smallest normal half (2^-14) as float bits; below it the result is subnormal. */
    private static final int MIN_NORMAL = 113 << 23;
    /** 0.5f: adding it aligns a subnormal's 10 mantissa bits at the bottom, rounding as float addition does (RNE). */
    private static final int SUBNORMAL_MAGIC = ((127 - 15) + (23 - 10) + 1) << 23;
    private static final float[] WIDENED = widenAll();

    private Float16() {}

    /** The half-precision bits nearest to {@code value} (ties to even). */
    public static short fromFloat(float value) {
        // F. Giesen's float_to_half_fast3_rtne, with numpy's NaN payload rule.
        int bits = Float.floatToRawIntBits(value);
        int sign = bits & 0x80000000;
        int magnitude = bits ^ sign;
        int half;
        if (magnitude >= OVERFLOW) {
            if (magnitude > 0x7f800000) {
                half = 0x7c00 | ((magnitude & 0x7fffff) >>> 13);
                half = half == 0x7c00 ? 0x7c01 : half;
            } else {
                half = 0x7c00;
            }
        } else if (magnitude < MIN_NORMAL) {
            float aligned = Float.intBitsToFloat(magnitude) + Float.intBitsToFloat(SUBNORMAL_MAGIC);
            half = Float.floatToRawIntBits(aligned) - SUBNORMAL_MAGIC;
        } else {
            int mantissaOdd = (magnitude >>> 13) & 1;
            magnitude += ((15 - 127) << 23) + 0xfff + mantissaOdd;
            half = magnitude >>> 13;
        }
        return (short) (half | (sign >>> 16));
    }

    /** The float equal to the half-precision bits {@code half}. */
    public static float toFloat(short half) {
        return WIDENED[half & 0xffff];
    }

    private static float[] widenAll() {
        float[] table = new float[1 << 16];
        for (int h = 0; h < table.length; h++) {
            table[h] = widen(h);
        }
        return table;
    }

    private static float widen(int h) {
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign != 0 ? -subnormal : subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
