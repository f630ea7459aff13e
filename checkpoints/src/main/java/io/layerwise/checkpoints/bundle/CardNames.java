package io.layerwise.checkpoints.bundle;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Card values of enums: the constant's name in lower case, parsed back with an error listing the accepted names. */
final class CardNames {
    private CardNames() {}

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    static <E extends Enum<E>> E parse(Class<E> type, String field, String value) {
        E[] constants = type.getEnumConstants();
        return Arrays.stream(constants).filter(c -> of(c).equals(value)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(field + " '" + value + "' is not one of "
                        + Arrays.stream(constants).map(CardNames::of).collect(Collectors.joining(", "))));
    }
}
