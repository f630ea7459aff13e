package io.layerwise.trainers.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/** The rank-based top-k mask keeps exactly the k highest scores, ties to the lower index, in Java and SameDiff alike. */
class RankMaskTest {

    @Test
    void keepsTheHighestScoresAndBreaksTiesTowardTheLowerIndex() {
        assertThat(RankMask.select(new float[] {0.1f, 0.7f, 0.3f, 0.5f}, 2)).containsExactly(false, true, false, true);
        assertThat(RankMask.select(new float[] {0.2f, 0.7f, 0.7f, 0.7f}, 2)).containsExactly(false, true, true, false);
        assertThat(RankMask.select(new float[] {1f, 1f, 1f, 1f}, 3)).containsExactly(true, true, true, false);
        assertThat(RankMask.select(new float[] {-3f, 2f, -3f, 0f}, 4)).containsExactly(true, true, true, true);
        assertThat(RankMask.select(new float[] {5f, 4f, 5f, 0f}, 1)).containsExactly(true, false, false, false);
    }

    @Test
    void sameDiffMaskEqualsTheJavaRuleOnRandomAndTiedScores() {
        int n = 6;
        Random random = new Random(7);
        float[][] scores = new float[40][n];
        for (int t = 0; t < scores.length; t++) {
            for (int i = 0; i < n; i++) {
                // a coarse grid makes ties common
                scores[t][i] = t % 2 == 0 ? random.nextInt(4) : (float) random.nextGaussian();
            }
        }
        for (int k = 1; k <= n; k++) {
            SameDiff sd = SameDiff.create();
            SDVariable s = sd.placeHolder("s", DataType.FLOAT, -1, n);
            RankMask.select(sd, "mask", s, n, k);
            float[][] mask = sd.output(Map.of("s", Nd4j.create(scores)), "mask").get("mask").toFloatMatrix();
            for (int t = 0; t < scores.length; t++) {
                boolean[] expected = RankMask.select(scores[t], k);
                int kept = 0;
                for (int i = 0; i < n; i++) {
                    assertThat(mask[t][i]).as("token %d head %d k %d", t, i, k).isEqualTo(expected[i] ? 1f : 0f);
                    kept += expected[i] ? 1 : 0;
                }
                assertThat(kept).isEqualTo(k);
            }
        }
    }
}
