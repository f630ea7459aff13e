package io.layerwise.datasets;

/**
 * The share of each stratum that goes to each {@link Split}. The three must be in {@code [0, 1]} and sum
 * to 1 (within {@code 1e-9}, so decimal fractions such as 0.7 / 0.15 / 0.15 are accepted), and some share
 * must go to training.
 *
 * @param train share for {@link Split#TRAIN}, {@code > 0}
 * @param validation share for {@link Split#VALIDATION}
 * @param test share for {@link Split#TEST}
 */
public record SplitFractions(double train, double validation, double test) {

    private static final double SUM_TOLERANCE = 1e-9;

    public SplitFractions {
        for (double f : new double[] {train, validation, test}) {
            if (!(f >= 0 && f <= 1)) {
                throw new IllegalArgumentException("split fractions must be in [0, 1], got " + this);
            }
        }
        if (train == 0) {
            throw new IllegalArgumentException("the train fraction must be > 0, got " + this);
        }
        if (Math.abs(train + validation + test - 1) > SUM_TOLERANCE) {
            throw new IllegalArgumentException("split fractions must sum to 1, got " + this);
        }
    }
}
