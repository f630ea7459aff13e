package io.layerwise.trainers.metrics;

/**
 * Accuracy and macro-averaged precision, recall and F1 over a fixed set of classes, with
 * scikit-learn's conventions: a class never predicted has precision 0, a class never present has
 * recall 0, F1 is 0 when precision and recall both are, and the macro average is the plain mean over
 * the classes (the seed reports all four for multiple choice, classes = answer letters).
 *
 * @param accuracy fraction predicted correctly
 * @param precision macro precision
 * @param recall macro recall
 * @param f1 macro F1
 */
public record MulticlassMetrics(double accuracy, double precision, double recall, double f1) {

    public static MulticlassMetrics of(int[] truth, int[] predicted, int classes) {
        if (truth.length != predicted.length || truth.length == 0) {
            throw new IllegalArgumentException("need equally many, and some, true and predicted labels");
        }
        long[] truePositive = new long[classes];
        long[] predictedCount = new long[classes];
        long[] actualCount = new long[classes];
        long correct = 0;
        for (int i = 0; i < truth.length; i++) {
            predictedCount[predicted[i]]++;
            actualCount[truth[i]]++;
            if (truth[i] == predicted[i]) {
                truePositive[truth[i]]++;
                correct++;
            }
        }
        double precision = 0;
        double recall = 0;
        double f1 = 0;
        for (int c = 0; c < classes; c++) {
            double p = predictedCount[c] == 0 ? 0 : (double) truePositive[c] / predictedCount[c];
            double r = actualCount[c] == 0 ? 0 : (double) truePositive[c] / actualCount[c];
            precision += p;
            recall += r;
            f1 += p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
        return new MulticlassMetrics((double) correct / truth.length, precision / classes, recall / classes, f1 / classes);
    }
}
