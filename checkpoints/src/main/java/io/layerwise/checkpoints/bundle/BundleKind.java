package io.layerwise.checkpoints.bundle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What a bundle holds, as its card's {@code kind} names it. */
public enum BundleKind {
    /** {@code Sequential(Linear(d, h), activation, Linear(h, 1))}, sigmoid output. */
    MLP,
    /** One {@code Linear(d, 1)}, sigmoid output. */
    LOGISTIC,
    /** One unit vector {@code v} in the tapped activation space. */
    DIRECTION,
    /** A head router (issue 6). */
    ROUTER;

    @JsonValue
    public String cardName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static BundleKind fromCard(String name) {
        return Arrays.stream(values()).filter(k -> k.cardName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("kind '" + name + "' is not one of "
                        + Arrays.stream(values()).map(BundleKind::cardName).collect(Collectors.joining(", "))));
    }
}
