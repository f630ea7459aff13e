package io.layerwise.trainers.router;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Top-k selection as a 0/1 mask, built from ranks rather than SameDiff M2.1's {@code topK} op (which
 * returns a wrong shape there, see PLATFORM.md). The rank of score i among n is
 * {@code r_i = #{j : s_j > s_i} + #{j < i : s_j = s_i}}, so ties go to the lower index and exactly k
 * entries have {@code r_i < k}. The Java and SameDiff forms compute the same rule, so a router selects
 * the same heads in training and inside the forward pass.
 *
 * <pre>{@code
 * boolean[] kept = RankMask.select(new float[] {0.1f, 0.7f, 0.7f, 0.2f}, 2);   // heads 1 and 2
 * }</pre>
 */
public final class RankMask {
    private RankMask() {}

    /** The k highest scores (ties to the lower index). */
    public static boolean[] select(float[] scores, int k) {
        boolean[] kept = new boolean[scores.length];
        for (int i = 0; i < scores.length; i++) {
            int rank = 0;
            for (int j = 0; j < scores.length; j++) {
                if (scores[j] > scores[i] || (j < i && scores[j] == scores[i])) {
                    rank++;
                }
            }
            kept[i] = rank < k;
        }
        return kept;
    }

    /**
     * The same rule in SameDiff: {@code scores [tokens, n]} to a float mask {@code [tokens, n]}, from the
     * pairwise comparisons {@code [tokens, n, n]} summed over the last axis. The comparisons carry no
     * gradient, so the mask is a constant of the selection for the loss.
     */
    public static SDVariable select(SameDiff sd, String name, SDVariable scores, int n, int k) {
        SDVariable own = scores.reshape(-1, n, 1); // s_i along axis 1
        SDVariable other = scores.reshape(-1, 1, n); // s_j along axis 2
        SDVariable higher = other.gt(own).castTo(DataType.FLOAT);
        float[][] lower = new float[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < i; j++) {
                lower[i][j] = 1f;
            }
        }
        SDVariable earlierTie = other.eq(own).castTo(DataType.FLOAT)
                .mul(sd.constant(name + "_lower", Nd4j.create(lower).reshape(1, n, n)));
        SDVariable rank = higher.add(earlierTie).sum(2);
        return rank.lt((double) k).castTo(name, DataType.FLOAT);
    }
}
