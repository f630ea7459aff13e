package io.layerwise.datasets.extract;

import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The forward-and-pool step that extraction and scoring share, so a text scored with a probe is pooled
 * exactly as the rows the probe was trained on: token sequences are grouped into length buckets
 * ({@link LengthBuckets}: the same sequences and batch size give the same batches, hence the same bits),
 * padded on the given side, run with only the requested taps and layers, and each text's vectors pooled
 * over its own tokens ({@link Pooling#pool}). Each batch's native tensors are released before the next.
 *
 * <pre>{@code
 * float[][] rows = PooledForward.rows(model, sequences, new PooledForward.Target(ActivationTap.RESIDUAL, 4),
 *         Pooling.MEAN, PaddingSide.RIGHT, 32, Interventions.none());
 * }</pre>
 */
public final class PooledForward {

    /**
     * One tap and layer to pool.
     *
     * @param tap what to capture
     * @param layer its layer index
     */
    public record Target(ActivationTap tap, int layer) {}

    /** Receives the pooled vectors as batches complete. */
    public interface Sink {
        /**
         * The pooled vector of one sequence for one target: {@code dim} floats, or {@code dim} per token
         * for {@link Pooling#NONE}.
         *
         * @param target index into the targets
         * @param sequence index into the sequences
         */
        void accept(int target, int sequence, float[] pooled) throws IOException;

        /** Called after each batch with its sequence count and real (unpadded) token count. */
        default void batchDone(int sequences, long realTokens) {}
    }

    private final FrozenTransformer model;
    private final List<Target> targets;
    private final Taps taps;
    private final Pooling pooling;
    private final PaddingSide side;
    private final int batchSize;
    private final Interventions interventions;

    /**
     * @param taps the runtime taps to request: at least the targets' kinds and layers (fewer layers
     *     let the model skip the blocks past the deepest)
     * @param interventions what to change inside the forward pass ({@link Interventions#none()} for the
     *     plain model; sanitization sweeps ablate directions here)
     */
    public PooledForward(FrozenTransformer model, List<Target> targets, Taps taps, Pooling pooling, PaddingSide side,
            int batchSize, Interventions interventions) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.model = model;
        this.targets = List.copyOf(targets);
        this.taps = taps;
        this.pooling = pooling;
        this.side = side;
        this.batchSize = batchSize;
        this.interventions = interventions;
    }

    /** Pools every sequence for every target into {@code sink}; returns the real tokens run. */
    public long run(List<long[]> sequences, Sink sink) throws IOException {
        int[] lengths = new int[sequences.size()];
        for (int i = 0; i < lengths.length; i++) {
            lengths[i] = sequences.get(i).length;
        }
        int[] dims = targets.stream().mapToInt(t -> t.tap().dim(model.spec())).toArray();
        long padId = model.spec().padTokenId();
        long tokensDone = 0;
        for (int[] batch : LengthBuckets.batches(lengths, batchSize)) {
            List<long[]> members = new ArrayList<>(batch.length);
            for (int i : batch) {
                members.add(sequences.get(i));
            }
            TokenBatch tokens = TokenBatch.of(members, side, padId);
            try (ForwardResult result = model.forward(tokens, taps, interventions)) {
                for (int t = 0; t < targets.size(); t++) {
                    Target target = targets.get(t);
                    // a view of the tensor's memory, valid until the result closes: no heap copy per layer
                    FloatBuffer values = target.tap().tensor(result, target.layer()).toByteBuffer(true).asFloatBuffer();
                    for (int b = 0; b < batch.length; b++) {
                        sink.accept(t, batch[b], pooling.pool(values, tokens.mask()[b], b, tokens.width(), dims[t]));
                    }
                }
            }
            NativeHeap.trim();
            tokensDone += tokens.realTokens();
            sink.batchDone(batch.length, tokens.realTokens());
        }
        return tokensDone;
    }

    /**
     * The pooled rows of one target, in sequence order, running only the blocks up to its layer.
     *
     * @param pooling {@code mean}, {@code last} or {@code max} (one row per sequence)
     */
    public static float[][] rows(FrozenTransformer model, List<long[]> sequences, Target target, Pooling pooling,
            PaddingSide side, int batchSize, Interventions interventions) {
        if (pooling == Pooling.NONE) {
            throw new IllegalArgumentException("rows() gives one row per sequence; pooling none gives one per token");
        }
        float[][] rows = new float[sequences.size()][];
        Taps taps = Taps.of(target.tap().kind()).onLayers(target.layer());
        try {
            new PooledForward(model, List.of(target), taps, pooling, side, batchSize, interventions).run(sequences, (t, i, pooled) -> rows[i] = pooled);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // the sink above does no I/O
        }
        return rows;
    }
}
