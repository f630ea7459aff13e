package io.layerwise.datasets.config;

/**
 * Defaults and range checks for optional numeric config fields, shared by every config record: an
 * omitted field takes its default, a present one must be in range or it is a
 * {@link ConfigFieldException} naming the field.
 */
public final class ConfigDefaults {
    private ConfigDefaults() {}

    /** {@code value}, or {@code fallback} when omitted; at least 1. */
    public static int positive(String field, Integer value, int fallback) {
        return atLeast(field, value, fallback, 1);
    }

    /** {@code value}, or {@code fallback} when omitted; at least 0. */
    public static int nonNegative(String field, Integer value, int fallback) {
        return atLeast(field, value, fallback, 0);
    }

    private static int atLeast(String field, Integer value, int fallback, int minimum) {
        if (value == null) {
            return fallback;
        }
        if (value < minimum) {
            throw new ConfigFieldException(field, "must be at least " + minimum + ", got " + value);
        }
        return value;
    }

    /** {@code value}, or {@code fallback} when omitted; a finite number above 0. */
    public static double positive(String field, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new ConfigFieldException(field, "must be a positive number, got " + v);
        }
        return v;
    }

    /** {@code value}, or {@code fallback} when omitted; a finite number at least 0. */
    public static double nonNegative(String field, Double value, double fallback) {
        double v = value == null ? fallback : value;
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw new ConfigFieldException(field, "must be a number >= 0, got " + v);
        }
        return v;
    }
}
