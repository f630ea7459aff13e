package io.layerwise.trainers.probes;

/**
 * Per-feature standardization {@code (x - mean) / std}, fitted on the training rows only so that
 * validation and test rows never leak into it. Features with (near) zero spread keep std 1, so a
 * constant dimension maps to 0 instead of dividing by zero. Plain Java: a pass over the rows is cheaper
 * than native calls at probe sizes.
 *
 * @param mean per-feature mean of the training rows
 * @param std per-feature population standard deviation of the training rows (1 where it is below 1e-6)
 */
public record Standardizer(float[] mean, float[] std) {

    /** Fits on {@code train} ({@code [n][d]}), accumulating in double precision. */
    public static Standardizer fit(float[][] train) {
        int d = train[0].length;
        double[] sum = new double[d];
        for (float[] row : train) {
            for (int j = 0; j < d; j++) {
                sum[j] += row[j];
            }
        }
        float[] mean = new float[d];
        double[] squares = new double[d];
        for (int j = 0; j < d; j++) {
            mean[j] = (float) (sum[j] / train.length);
        }
        for (float[] row : train) {
            for (int j = 0; j < d; j++) {
                double centred = row[j] - sum[j] / train.length;
                squares[j] += centred * centred;
            }
        }
        float[] std = new float[d];
        for (int j = 0; j < d; j++) {
            float s = (float) Math.sqrt(squares[j] / train.length);
            std[j] = s > 1e-6f ? s : 1f;
        }
        return new Standardizer(mean, std);
    }

    /** {@code (rows - mean) / std} as new rows. */
    public float[][] apply(float[][] rows) {
        float[][] out = new float[rows.length][mean.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < mean.length; j++) {
                out[i][j] = (rows[i][j] - mean[j]) / std[j];
            }
        }
        return out;
    }
}
