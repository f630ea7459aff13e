package io.layerwise.datasets.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Config enums are written in lower case ({@code pooling: mean}); this parses them with a message that
 * lists the accepted values. Enums call it from a {@code @JsonCreator} and return
 * {@link #configName} from a {@code @JsonValue}.
 */
public final class ConfigEnums {
    private ConfigEnums() {}

    /** The constant named {@code value} in lower case, or an error listing the accepted names. */
    public static <E extends Enum<E>> E parse(Class<E> type, String value) {
        for (E constant : type.getEnumConstants()) {
            if (configName(constant).equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("'" + value + "' is not one of " + Arrays.stream(type.getEnumConstants())
                .map(ConfigEnums::configName).collect(Collectors.joining(", ")));
    }

    /** The lower-case name a constant has in configs. */
    public static String configName(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
