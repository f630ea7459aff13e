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
}
