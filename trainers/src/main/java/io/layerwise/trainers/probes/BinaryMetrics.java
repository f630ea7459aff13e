package io.layerwise.trainers.probes;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Binary-classification metrics of a probe at one threshold, positive class = label 1: F1, accuracy,
 * precision, recall (= TPR), FPR, and AUROC (threshold-free, the Mann-Whitney statistic with ties
 * counted half, as scikit-learn's {@code roc_auc_score}). Undefined ratios (no positive predictions,
 * no positives) are 0, as scikit-learn's {@code zero_division=0}; AUROC with a single class is NaN.
 *
 * @param f1 harmonic mean of precision and recall
 * @param accuracy share of rows classified right
 * @param precision TP / (TP + FP)
 * @param recall TP / (TP + FN)
 * @param tpr same as recall, named as the seed's tables do
 * @param fpr FP / (FP + TN)
 * @param auroc area under the ROC curve
 * @param threshold the threshold the decisions used
 */
public record BinaryMetrics(double f1, double accuracy, double precision, double recall, double tpr, double fpr,
        double auroc, double threshold) {

    /** Metrics of {@code probabilities} (of class 1) against {@code labels} (0/1) at {@code threshold}. */
    public static BinaryMetrics of(double[] probabilities, long[] labels, double threshold) {
        if (probabilities.length != labels.length) {
            throw new IllegalArgumentException(probabilities.length + " scores for " + labels.length + " labels");
        }
        long tp = 0;
        long fp = 0;
        long tn = 0;
        long fn = 0;
        for (int i = 0; i < labels.length; i++) {
            boolean predicted = probabilities[i] >= threshold;
            boolean positive = labels[i] == 1;
            if (predicted && positive) {
                tp++;
            } else if (predicted) {
                fp++;
            } else if (positive) {
                fn++;
            } else {
                tn++;
            }
        }
        double precision = ratio(tp, tp + fp);
        double recall = ratio(tp, tp + fn);
        double f1 = ratio(2 * tp, 2 * tp + fp + fn);
        return new BinaryMetrics(f1, ratio(tp + tn, labels.length), precision, recall, recall, ratio(fp, fp + tn),
                auroc(probabilities, labels), threshold);
    }

    /** The threshold among the observed scores that maximizes F1 (the lowest such one on ties). */
    public static double bestF1Threshold(double[] probabilities, long[] labels) {
        double[] candidates = Arrays.stream(probabilities).distinct().sorted().toArray();
        double best = 0.5;
        double bestF1 = -1;
        for (double t : candidates) {
            double f1 = of(probabilities, labels, t).f1();
            if (f1 > bestF1) {
                bestF1 = f1;
                best = t;
            }
        }
        return best;
    }

    /** Mann-Whitney U / (n+ n-) with average ranks for ties. */
    static double auroc(double[] scores, long[] labels) {
        Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> scores[i]));
        double positiveRankSum = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double averageRank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    positiveRankSum += averageRank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = scores.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        return (positiveRankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }
}
