package io.layerwise.datasets;

/**
 * The part of a data set an item belongs to: probes are fitted on {@link #TRAIN}, stopped early and
 * thresholded on {@link #VALIDATION}, and reported on {@link #TEST}.
 */
public enum Split {
    TRAIN,
    VALIDATION,
    TEST
}
