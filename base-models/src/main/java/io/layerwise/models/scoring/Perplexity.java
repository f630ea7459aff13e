package io.layerwise.models.scoring;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.ModelException;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Perplexity of a token stream over non-overlapping windows: the stream is cut into windows of
 * {@code window} tokens (the last one shorter), each runs on its own from position 0, and every
 * token after the first of its window is predicted; perplexity is {@code exp} of the mean negative
 * log-likelihood in nats. This is the usual definition for models evaluated on fixed contexts (the
 * trained test model's card uses 512-token windows).
 *
 * @param model a decoder
 * @param interventions applied in the forward pass
 * @param window tokens per window
 * @param batchSize windows run together
 */
public record Perplexity(FrozenTransformer model, Interventions interventions, int window, int batchSize) {

    /**
     * The measurement.
     *
     * @param nats total negative log-likelihood
     * @param predicted tokens predicted
     */
    public record Result(double nats, long predicted) {
        public double natsPerToken() {
            return nats / predicted;
        }

        public double perplexity() {
            return Math.exp(natsPerToken());
        }
    }

    public Perplexity {
        if (window < 2) {
            throw new ModelException("perplexity windows need at least 2 tokens, got " + window);
        }
        if (batchSize < 1) {
            throw new ModelException("batch size must be at least 1, got " + batchSize);
        }
    }

    /** Perplexity of a whole token stream, cut into this measure's windows. */
    public Result measure(long[] tokens) {
        List<long[]> windows = windows(tokens, window);
        if (windows.isEmpty()) {
            throw new ModelException("perplexity needs at least 2 tokens, got " + tokens.length);
        }
        double nats = 0;
        long predicted = 0;
        for (Result r : measureWindows(windows)) {
            nats += r.nats();
            predicted += r.predicted();
        }
        return new Result(nats, predicted);
    }

    /** Non-overlapping windows of {@code window} tokens (the last one shorter); a last window of one token is dropped. */
    public static List<long[]> windows(long[] tokens, int window) {
        List<long[]> windows = new ArrayList<>();
        for (int start = 0; start < tokens.length; start += window) {
            long[] w = Arrays.copyOfRange(tokens, start, Math.min(tokens.length, start + window));
            if (w.length >= 2) {
                windows.add(w);
            }
        }
        return windows;
    }

    /** One result per window, each run from position 0, {@code batchSize} windows per forward pass. */
    public List<Result> measureWindows(List<long[]> windows) {
        List<Result> results = new ArrayList<>();
        int vocab = model.spec().vocabSize();
        for (int from = 0; from < windows.size(); from += batchSize) {
            List<long[]> chunk = windows.subList(from, Math.min(windows.size(), from + batchSize));
            TokenBatch batch = TokenBatch.of(chunk, PaddingSide.RIGHT, model.spec().padTokenId());
            try (ForwardResult r = model.forward(batch, Taps.of(TapKind.LOGITS), interventions)) {
                NDArray logProbs = r.logits().logSoftmax(-1);
                float[] flat = logProbs.toFloatArray();
                for (int b = 0; b < chunk.size(); b++) {
                    long[] w = chunk.get(b);
                    double nats = 0;
                    for (int t = 0; t + 1 < w.length; t++) {
                        nats -= flat[(b * batch.width() + t) * vocab + (int) w[t + 1]];
                    }
                    results.add(new Result(nats, w.length - 1));
                }
            }
        }
        return results;
    }
}
