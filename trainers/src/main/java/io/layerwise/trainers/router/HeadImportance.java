package io.layerwise.trainers.router;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * How much each head of a block contributes to its attention output: the mean over tokens of
 * {@code ||W_o[:, h] o_h||}, the norm of head h's share of the output projection. Used to choose the
 * shared (always-on) heads of a router and the heads of the static top-k baseline.
 */
public final class HeadImportance {
    private HeadImportance() {}

    /** Mean contribution norm of every head. */
    public static double[] of(LayerData data) {
        int d = data.headDim();
        double[] importance = new double[data.numHeads()];
        for (int h = 0; h < data.numHeads(); h++) {
            INDArray block = data.outputProjection().get(NDArrayIndex.all(), NDArrayIndex.interval(h * d, (h + 1) * d));
            INDArray slice = data.heads().get(NDArrayIndex.all(), NDArrayIndex.interval(h * d, (h + 1) * d));
            importance[h] = slice.mmul(block.transpose()).norm2(1).meanNumber().doubleValue();
        }
        return importance;
    }

    /** The {@code count} most important heads, in increasing index order (ties to the lower index). */
    public static int[] top(double[] importance, int count) {
        return IntStream.range(0, importance.length).boxed()
                .sorted(Comparator.comparingDouble((Integer h) -> -importance[h]).thenComparingInt(h -> h))
                .limit(count).mapToInt(Integer::intValue).sorted().toArray();
    }

    /** The heads not in {@code chosen}, in index order. */
    public static int[] complement(int heads, int[] chosen) {
        return IntStream.range(0, heads).filter(h -> Arrays.stream(chosen).noneMatch(c -> c == h)).toArray();
    }
}
