package io.layerwise.trainers.sweep;

/**
 * Thrown when a sweep ends with no completed candidate, after its report is written: its message lists
 * every candidate's error. Arbiter's runner returns normally in that case, so the sweep checks itself.
 */
public final class SweepFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SweepFailedException(String message) {
        super(message);
    }
}
