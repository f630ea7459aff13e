package io.layerwise.trainers.directions;

import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-layer difference-of-means directions (the seed's Eq. 1; Arditi et al. 2024): the mean
 * residual-stream vector of the positive prompts minus that of the negative prompts, at each prompt's
 * last token, for every residual index 0..L, unit-normalized. Each layer also gets a separation
 * score, the distance of the class means along the direction in units of the pooled standard
 * deviation of the projections (Cohen's d), used to rank layers.
 *
 * @param directions {@code [layer][H]} unit vectors
 * @param separation per layer, Cohen's d of the two classes projected on the direction
 */
public record MeanDifferenceDirections(float[][] directions, double[] separation) {

    /** Computes the directions from tokenized prompts of both classes. */
    public static MeanDifferenceDirections fit(FrozenTransformer model, List<long[]> positive, List<long[]> negative,
            int batchSize) {
        int layers = model.spec().numLayers() + 1;
        List<float[][]> pos = lastTokenResiduals(model, positive, batchSize);
        List<float[][]> neg = lastTokenResiduals(model, negative, batchSize);
        float[][] directions = new float[layers][];
        double[] separation = new double[layers];
        for (int l = 0; l < layers; l++) {
            double[] meanPos = mean(pos, l);
            double[] meanNeg = mean(neg, l);
            double norm = 0;
            float[] v = new float[meanPos.length];
            for (int j = 0; j < v.length; j++) {
                double d = meanPos[j] - meanNeg[j];
                norm += d * d;
                v[j] = (float) d;
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) (v[j] / norm);
            }
            directions[l] = v;
            separation[l] = cohensD(project(pos, l, v), project(neg, l, v));
        }
        return new MeanDifferenceDirections(directions, separation);
    }

    /** Residual indices 1..L ordered by separation, best first (0, the embeddings, is left out). */
    public List<Integer> rankedLayers() {
        List<Integer> layers = new ArrayList<>();
        for (int l = 1; l < separation.length; l++) {
            layers.add(l);
        }
        layers.sort((a, b) -> Double.compare(separation[b], separation[a]));
        return layers;
    }

    /** {@code [prompt][layer][H]}: each prompt's residual stream at its last token, in batches. */
    private static List<float[][]> lastTokenResiduals(FrozenTransformer model, List<long[]> prompts, int batchSize) {
        int layers = model.spec().numLayers() + 1;
        int hidden = model.spec().hiddenSize();
        List<float[][]> out = new ArrayList<>();
        for (int from = 0; from < prompts.size(); from += batchSize) {
            List<long[]> chunk = prompts.subList(from, Math.min(prompts.size(), from + batchSize));
            // left padding: the last column is every prompt's last token
            TokenBatch batch = TokenBatch.of(chunk, PaddingSide.LEFT, model.spec().padTokenId());
            float[][][] rows = new float[chunk.size()][layers][];
            try (ForwardResult r = model.forward(batch, Taps.of(TapKind.RESIDUAL))) {
                for (int l = 0; l < layers; l++) {
                    float[] all = r.residual(l).toFloatArray();
                    for (int b = 0; b < chunk.size(); b++) {
                        int start = (b * batch.width() + batch.width() - 1) * hidden;
                        rows[b][l] = java.util.Arrays.copyOfRange(all, start, start + hidden);
                    }
                }
            }
            out.addAll(List.of(rows));
        }
        return out;
    }

    private static double[] mean(List<float[][]> rows, int layer) {
        double[] sum = new double[rows.get(0)[layer].length];
        for (float[][] row : rows) {
            for (int j = 0; j < sum.length; j++) {
                sum[j] += row[layer][j];
            }
        }
        for (int j = 0; j < sum.length; j++) {
            sum[j] /= rows.size();
        }
        return sum;
    }

    private static double[] project(List<float[][]> rows, int layer, float[] v) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            double dot = 0;
            for (int j = 0; j < v.length; j++) {
                dot += rows.get(i)[layer][j] * v[j];
            }
            out[i] = dot;
        }
        return out;
    }

    private static double cohensD(double[] a, double[] b) {
        double meanA = java.util.Arrays.stream(a).average().orElse(0);
        double meanB = java.util.Arrays.stream(b).average().orElse(0);
        double varA = java.util.Arrays.stream(a).map(x -> (x - meanA) * (x - meanA)).sum();
        double varB = java.util.Arrays.stream(b).map(x -> (x - meanB) * (x - meanB)).sum();
        double pooled = Math.sqrt((varA + varB) / Math.max(1, a.length + b.length - 2));
        return pooled == 0 ? 0 : (meanA - meanB) / pooled;
    }
}
