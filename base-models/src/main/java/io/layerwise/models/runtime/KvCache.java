package io.layerwise.models.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.layerwise.models.ModelException;

/**
 * Keys and values of every attention layer for the tokens a decoder has already seen, so that each
 * generation step runs only the new tokens. Keys are stored after RoPE (and q/k norm), as
 * {@code [batch, kvHeads, tokens, headDim]}; the attention mask and the next position of every row
 * travel with them, so left-padded prompts keep their positions. Owns its native memory: close it
 * when the sequence is done.
 *
 * <pre>{@code
 * try (KvCache cache = model.newCache()) {
 *     model.forward(prompt, Taps.of(TapKind.NEXT_TOKEN_LOGITS), Interventions.none(), cache).close();
 * }
 * }</pre>
 */
public final class KvCache implements AutoCloseable {
    private final NDManager manager;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int[][] mask;
    private long[] nextPosition;

    KvCache(NDManager parent, int layers) {
        this.manager = parent.newSubManager();
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
    }

    /** Tokens cached so far (pads included). */
    public int length() {
        return mask == null ? 0 : mask[0].length;
    }

    boolean isEmpty() {
        return mask == null;
    }

    /** Positions of the step's tokens, continuing each row's count of real tokens. */
    long[][] positionsFor(TokenBatch step) {
        if (isEmpty()) {
            return step.positions();
        }
        requireBatchSize(step);
        long[][] positions = new long[step.size()][step.width()];
        for (int b = 0; b < step.size(); b++) {
            long next = nextPosition[b];
            for (int t = 0; t < step.width(); t++) {
                positions[b][t] = next;
                next += step.mask()[b][t];
            }
        }
        return positions;
    }

    /** Mask over cached keys followed by the step's keys. */
    int[][] keyMaskFor(TokenBatch step) {
        if (isEmpty()) {
            return step.mask();
        }
        requireBatchSize(step);
        int[][] combined = new int[step.size()][];
        for (int b = 0; b < step.size(); b++) {
            combined[b] = new int[mask[b].length + step.width()];
            System.arraycopy(mask[b], 0, combined[b], 0, mask[b].length);
            System.arraycopy(step.mask()[b], 0, combined[b], mask[b].length, step.width());
        }
        return combined;
    }

    /** Cached keys of a layer, or null before the first step. */
    NDArray keys(int layer) {
        return keys[layer];
    }

    NDArray values(int layer) {
        return values[layer];
    }

    /** Replaces a layer's keys and values by their extension with the step's tokens. */
    void store(int layer, NDArray allKeys, NDArray allValues) {
        if (keys[layer] != null) {
            keys[layer].close();
            values[layer].close();
        }
        allKeys.attach(manager);
        allValues.attach(manager);
        keys[layer] = allKeys;
        values[layer] = allValues;
    }

    /** Records the step's tokens once every layer has stored them. */
    void advance(TokenBatch step, long[][] stepPositions) {
        mask = keyMaskFor(step);
        nextPosition = new long[step.size()];
        for (int b = 0; b < step.size(); b++) {
            int last = step.width() - 1;
            nextPosition[b] = stepPositions[b][last] + step.mask()[b][last];
        }
    }

    private void requireBatchSize(TokenBatch step) {
        if (step.size() != mask.length) {
            throw new ModelException("a cached batch of " + mask.length + " rows cannot continue with " + step.size());
        }
    }

    @Override
    public void close() {
        manager.close();
    }
}
