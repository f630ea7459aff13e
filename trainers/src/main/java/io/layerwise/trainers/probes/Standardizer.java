package io.layerwise.trainers.probes;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-feature standardization {@code (x - mean) / std}, fitted on the training rows only so that
 * validation and test rows never leak into it. Features with (near) zero spread keep std 1, so a
 * constant dimension maps to 0 instead of dividing by zero.
 *
 * @param mean per-feature mean of the training rows
 * @param std per-feature population standard deviation of the training rows (1 where it is below 1e-6)
 */
public record Standardizer(float[] mean, float[] std) {

    /** Fits on {@code train} ({@code [n, d]}). */
    public static Standardizer fit(INDArray train) {
        float[] mean = train.mean(0).toFloatVector();
        float[] std = train.std(false, 0).toFloatVector();
        for (int j = 0; j < std.length; j++) {
            if (!(std[j] > 1e-6f)) {
                std[j] = 1f;
            }
        }
        return new Standardizer(mean, std);
    }

    /** {@code (rows - mean) / std} as a new array. */
    public INDArray apply(INDArray rows) {
        INDArray m = org.nd4j.linalg.factory.Nd4j.createFromArray(mean).reshape(1, mean.length);
        INDArray s = org.nd4j.linalg.factory.Nd4j.createFromArray(std).reshape(1, std.length);
        return rows.subRowVector(m).diviRowVector(s);
    }
}
