package io.layerwise.models.runtime;

/** Where pad tokens go in a batch of sequences of mixed lengths. */
public enum PaddingSide {
    /** Pads before the tokens: decoders generating from the last position use this. */
    LEFT,
    /** Pads after the tokens: the usual choice for encoders. */
    RIGHT
}
