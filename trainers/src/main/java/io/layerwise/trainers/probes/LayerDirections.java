package io.layerwise.trainers.probes;

/**
 * The harmful (positive-class) directions of one layer, both unit vectors in raw activation space.
 *
 * @param layer the store layer
 * @param meanDifference Eq. 1: mean of positive rows minus mean of negative rows (train split), normalized
 * @param logistic Eq. 2: the logistic probe's weight vector mapped through the standardization and
 *     normalized, or null when no logistic probe was trained
 */
public record LayerDirections(int layer, float[] meanDifference, float[] logistic) {

    /** Eq. 1 on the training rows of one layer. */
    public static float[] meanDifference(LayerRows.Labelled train) {
        long[] labels = train.labels();
        int d = (int) train.features().columns();
        double[] positive = new double[d];
        double[] negative = new double[d];
        long positives = 0;
        for (int i = 0; i < labels.length; i++) {
            float[] row = train.features().getRow(i).toFloatVector();
            double[] sum = labels[i] == 1 ? positive : negative;
            positives += labels[i] == 1 ? 1 : 0;
            for (int j = 0; j < d; j++) {
                sum[j] += row[j];
            }
        }
        long negatives = labels.length - positives;
        float[] difference = new float[d];
        for (int j = 0; j < d; j++) {
            difference[j] = (float) (positive[j] / positives - negative[j] / negatives);
        }
        return UnitVectors.normalize(difference);
    }
}
