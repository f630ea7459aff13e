package io.layerwise.trainers.router;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Held-out text through the dense model and through each variant (routed, static or random heads):
 * the relative error of the final hidden state ({@code hidden_states[L]}, after the final norm) against
 * the dense one, {@code sqrt(sum ||h - h_dense||^2 / sum ||h_dense||^2)} over every real token, and the
 * mean next-token loss (nats per predicted token). The dense pass of each batch is run once and shared.
 *
 * <pre>{@code
 * Map<String, HeldOutComparison.Result> r = HeldOutComparison.run(model, sequences, 8, Map.of("routed", routed));
 * }</pre>
 */
public final class HeldOutComparison {
    private HeldOutComparison() {}

    /**
     * One variant's figures.
     *
     * @param hiddenRelativeError relative error of the final hidden state vs dense (0 for dense)
     * @param nextTokenLoss mean negative log-likelihood of the next token, nats
     * @param predictedTokens tokens whose next token was scored
     */
    public record Result(double hiddenRelativeError, double nextTokenLoss, long predictedTokens) {}

    /** Figures of the dense model (key {@code dense}) and of every variant, in order. */
    public static Map<String, Result> run(FrozenTransformer model, List<long[]> sequences, int batchSize,
            Map<String, Interventions> variants) {
        int last = model.spec().numLayers();
        Taps taps = new Taps(java.util.EnumSet.of(TapKind.RESIDUAL, TapKind.LOGITS), java.util.Set.of(last));
        Map<String, double[]> sums = new LinkedHashMap<>();
        sums.put("dense", new double[3]);
        variants.keySet().forEach(name -> sums.put(name, new double[3]));
        double denseSquare = 0;
        long predicted = 0;
        for (int from = 0; from < sequences.size(); from += batchSize) {
            List<long[]> chunk = sequences.subList(from, Math.min(sequences.size(), from + batchSize));
            TokenBatch batch = TokenBatch.of(chunk, PaddingSide.RIGHT, model.spec().padTokenId());
            float[] dense;
            try (ForwardResult r = model.forward(batch, taps)) {
                dense = realRows(r.residual(last), batch);
                sums.get("dense")[1] += nats(r.logits(), batch);
            }
            for (float v : dense) {
                denseSquare += (double) v * v;
            }
            for (long[] s : chunk) {
                predicted += s.length - 1;
            }
            for (Map.Entry<String, Interventions> variant : variants.entrySet()) {
                try (ForwardResult r = model.forward(batch, taps, variant.getValue())) {
                    float[] h = realRows(r.residual(last), batch);
                    double[] s = sums.get(variant.getKey());
                    for (int i = 0; i < h.length; i++) {
                        double diff = h[i] - dense[i];
                        s[0] += diff * diff;
                    }
                    s[1] += nats(r.logits(), batch);
                }
            }
        }
        Map<String, Result> out = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : sums.entrySet()) {
            out.put(e.getKey(), new Result(Math.sqrt(e.getValue()[0] / denseSquare), e.getValue()[1] / predicted, predicted));
        }
        return out;
    }

    /** The vectors of the real tokens of a right-padded batch, row after row. */
    private static float[] realRows(NDArray tensor, TokenBatch batch) {
        float[] all = tensor.toFloatArray();
        int width = batch.width();
        int dim = all.length / (batch.size() * width);
        List<float[]> rows = new ArrayList<>();
        int total = 0;
        for (int b = 0; b < batch.size(); b++) {
            int n = batch.length(b);
            float[] row = new float[n * dim];
            System.arraycopy(all, b * width * dim, row, 0, n * dim);
            rows.add(row);
            total += row.length;
        }
        float[] out = new float[total];
        int at = 0;
        for (float[] row : rows) {
            System.arraycopy(row, 0, out, at, row.length);
            at += row.length;
        }
        return out;
    }

    /** Summed next-token negative log-likelihood of the real tokens of a right-padded batch. */
    private static double nats(NDArray logits, TokenBatch batch) {
        float[] logProbs = logits.logSoftmax(-1).toFloatArray();
        int width = batch.width();
        int vocab = logProbs.length / (batch.size() * width);
        double sum = 0;
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t + 1 < batch.length(b); t++) {
                sum -= logProbs[(b * width + t) * vocab + (int) batch.ids()[b][t + 1]];
            }
        }
        return sum;
    }
}
