package io.layerwise.trainers.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * Macro metrics against values worked out by hand with scikit-learn's definitions
 * ({@code precision_recall_fscore_support(average="macro", zero_division=0)}).
 */
class MulticlassMetricsTest {

    @Test
    void macroAveragesFollowScikitLearn() {
        // truth A A A B B C C D; predicted A A B B C C C A
        int[] truth = {0, 0, 0, 1, 1, 2, 2, 3};
        int[] predicted = {0, 0, 1, 1, 2, 2, 2, 0};
        MulticlassMetrics m = MulticlassMetrics.of(truth, predicted, 4);
        // precision: A 2/3, B 1/2, C 2/3, D 0 (never predicted); recall: A 2/3, B 1/2, C 1, D 0
        assertThat(m.accuracy()).isCloseTo(5.0 / 8, within(1e-12));
        assertThat(m.precision()).isCloseTo((2.0 / 3 + 0.5 + 2.0 / 3 + 0) / 4, within(1e-12));
        assertThat(m.recall()).isCloseTo((2.0 / 3 + 0.5 + 1 + 0) / 4, within(1e-12));
        double f1C = 2 * (2.0 / 3) * 1 / (2.0 / 3 + 1);
        assertThat(m.f1()).isCloseTo((2.0 / 3 + 0.5 + f1C + 0) / 4, within(1e-12));
    }

    @Test
    void perfectPredictionsScoreOne() {
        MulticlassMetrics m = MulticlassMetrics.of(new int[] {0, 1, 2, 3}, new int[] {0, 1, 2, 3}, 4);
        assertThat(m).isEqualTo(new MulticlassMetrics(1, 1, 1, 1));
    }
}
