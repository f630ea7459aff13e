package io.layerwise.checkpoints.bundle;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

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
        return CardNames.of(this);
    }

    @JsonCreator
    public static BundleKind fromCard(String name) {
        return CardNames.parse(BundleKind.class, "kind", name);
    }
}
