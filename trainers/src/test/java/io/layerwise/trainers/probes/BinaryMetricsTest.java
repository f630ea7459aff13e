package io.layerwise.trainers.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.datasets.testing.NumpyPython;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Binary metrics against scikit-learn on scores with many ties, and the tuned threshold by brute force. */
class BinaryMetricsTest {

    @Test
    void metricsEqualScikitLearnIncludingTiedScores() throws Exception {
        Random random = new Random(3);
        int n = 400;
        double[] scores = new double[n];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextDouble() < 0.3 ? 1 : 0;
            scores[i] = Math.round((random.nextDouble() * 0.7 + labels[i] * 0.3) * 20) / 20.0; // ties on a 0.05 grid
        }
        String script = """
                import json, sys, numpy as np
                from sklearn import metrics as m
                s = np.array([float(x) for x in sys.argv[1].split(",")]); y = np.array([int(x) for x in sys.argv[2].split(",")])
                t = float(sys.argv[3]); p = (s >= t).astype(int)
                tn, fp, fn, tp = m.confusion_matrix(y, p).ravel()
                print(json.dumps({"f1": m.f1_score(y, p), "accuracy": m.accuracy_score(y, p), "precision": m.precision_score(y, p),
                                  "recall": m.recall_score(y, p), "fpr": fp / (fp + tn), "auroc": m.roc_auc_score(y, s)}))
                """;
        NumpyPython.Output out = NumpyPython.runWith("numpy, sklearn", script, join(scores), join(labels), "0.5");
        assertThat(out.status()).as(out.text()).isZero();
        JsonNode expected = new ObjectMapper().readTree(out.text());
        BinaryMetrics actual = BinaryMetrics.of(scores, labels, 0.5);
        assertThat(actual.f1()).isCloseTo(expected.get("f1").asDouble(), within(1e-12));
        assertThat(actual.accuracy()).isCloseTo(expected.get("accuracy").asDouble(), within(1e-12));
        assertThat(actual.precision()).isCloseTo(expected.get("precision").asDouble(), within(1e-12));
        assertThat(actual.recall()).isCloseTo(expected.get("recall").asDouble(), within(1e-12));
        assertThat(actual.tpr()).isEqualTo(actual.recall());
        assertThat(actual.fpr()).isCloseTo(expected.get("fpr").asDouble(), within(1e-12));
        assertThat(actual.auroc()).isCloseTo(expected.get("auroc").asDouble(), within(1e-12));
    }

    @Test
    void tunedThresholdIsTheBestF1AmongObservedScores() {
        double[] scores = {0.1, 0.2, 0.35, 0.4, 0.45, 0.6, 0.7, 0.9};
        long[] labels = {0, 0, 1, 0, 1, 1, 0, 1};
        double best = BinaryMetrics.bestF1Threshold(scores, labels);
        double bestF1 = Arrays.stream(scores).map(t -> BinaryMetrics.of(scores, labels, t).f1()).max().orElseThrow();
        // by hand: at 0.35 the positives are 0.35..0.9 -> TP 4, FP 2, FN 0 -> F1 = 8/10
        assertThat(best).isEqualTo(0.35);
        assertThat(bestF1).isCloseTo(0.8, within(1e-12));
        assertThat(BinaryMetrics.of(scores, labels, best).f1()).isEqualTo(bestF1);
    }

    @Test
    void aurocOfOneClassIsUndefined() {
        assertThat(BinaryMetrics.of(new double[] {0.2, 0.8}, new long[] {1, 1}, 0.5).auroc()).isNaN();
    }

    private static String join(double[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }

    private static String join(long[] values) {
        return Arrays.stream(values).mapToObj(String::valueOf).collect(Collectors.joining(","));
    }
}
