package io.layerwise.trainers.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * MoH's load-balancing loss {@code n * sum_i P_i f_i} on small routings worked out by hand: 4 routed
 * heads, top 2, 4 tokens.
 */
class LoadBalancingLossTest {
    private static final float[][] BALANCED_P = {
        {0.4f, 0.4f, 0.1f, 0.1f}, {0.1f, 0.1f, 0.4f, 0.4f}, {0.4f, 0.1f, 0.4f, 0.1f}, {0.1f, 0.4f, 0.1f, 0.4f}};
    private static final boolean[][] BALANCED_F = {
        {true, true, false, false}, {false, false, true, true}, {true, false, true, false}, {false, true, false, true}};
    private static final float[][] COLLAPSED_P = {
        {0.5f, 0.3f, 0.1f, 0.1f}, {0.6f, 0.2f, 0.1f, 0.1f}, {0.4f, 0.4f, 0.1f, 0.1f}, {0.5f, 0.3f, 0.1f, 0.1f}};
    private static final boolean[][] COLLAPSED_F = {
        {true, true, false, false}, {true, true, false, false}, {true, true, false, false}, {true, true, false, false}};

    @Test
    void balancedRoutingScoresKAndCollapsedScoresMore() {
        // balanced: P_i = 0.25 each, f_i = 0.5 each -> 4 * 4 * 0.125 = 2 (= k)
        assertThat(LoadBalancingLoss.value(BALANCED_P, BALANCED_F)).isCloseTo(2.0, within(1e-6));
        // collapsed: P = (0.5, 0.3, 0.1, 0.1), f = (1, 1, 0, 0) -> 4 * (0.5 + 0.3) = 3.2
        assertThat(LoadBalancingLoss.value(COLLAPSED_P, COLLAPSED_F)).isCloseTo(3.2, within(1e-6));
    }

    @Test
    void sameDiffFormEqualsTheHandComputation() {
        assertThat(sameDiff(BALANCED_P, BALANCED_F)).isCloseTo(2.0, within(1e-6));
        assertThat(sameDiff(COLLAPSED_P, COLLAPSED_F)).isCloseTo(3.2, within(1e-6));
    }

    private static double sameDiff(float[][] p, boolean[][] f) {
        float[][] mask = new float[f.length][f[0].length];
        for (int t = 0; t < f.length; t++) {
            for (int i = 0; i < f[t].length; i++) {
                mask[t][i] = f[t][i] ? 1f : 0f;
            }
        }
        SameDiff sd = SameDiff.create();
        SDVariable probs = sd.placeHolder("p", DataType.FLOAT, -1, 4);
        SDVariable m = sd.placeHolder("m", DataType.FLOAT, -1, 4);
        LoadBalancingLoss.of(probs, m, 4).rename("load");
        return sd.output(Map.of("p", Nd4j.create(p), "m", Nd4j.create(mask)), "load").get("load").getDouble(0);
    }
}
