package io.layerwise.models.runtime;

import io.layerwise.models.ModelException;
import java.util.List;

/**
 * A rectangular batch of token ids with its attention mask. Positions are derived from the mask
 * (the k-th real token of a row is at position k whatever the padding), which is what makes a
 * sequence's outputs in a padded batch equal its outputs alone.
 *
 * <pre>{@code
 * TokenBatch batch = TokenBatch.of(List.of(new long[] {1, 17, 42}, new long[] {200, 5}), PaddingSide.LEFT, 0);
 * }</pre>
 *
 * @param ids {@code [batch][width]} token ids, pads included
 * @param mask {@code [batch][width]}, 1 for a real token and 0 for a pad
 */
public record TokenBatch(long[][] ids, int[][] mask) {

    public TokenBatch {
        if (ids.length != mask.length) {
            throw new IllegalArgumentException("ids and mask differ in batch size");
        }
        for (int b = 0; b < ids.length; b++) {
            if (ids[b].length != ids[0].length || mask[b].length != ids[b].length) {
                throw new IllegalArgumentException("batch rows must all have the same width");
            }
        }
    }

    /** Pads sequences to the longest one on the given side. */
    public static TokenBatch of(List<long[]> sequences, PaddingSide side, long padId) {
        if (sequences.isEmpty()) {
            throw new ModelException("empty batch: at least one sequence is needed");
        }
        int width = sequences.stream().mapToInt(s -> s.length).max().orElse(0);
        if (width == 0) {
            throw new ModelException("every sequence in the batch is empty: nothing to run");
        }
        long[][] ids = new long[sequences.size()][width];
        int[][] mask = new int[sequences.size()][width];
        for (int b = 0; b < sequences.size(); b++) {
            long[] seq = sequences.get(b);
            int offset = side == PaddingSide.LEFT ? width - seq.length : 0;
            java.util.Arrays.fill(ids[b], padId);
            for (int t = 0; t < seq.length; t++) {
                ids[b][offset + t] = seq[t];
                mask[b][offset + t] = 1;
            }
        }
        return new TokenBatch(ids, mask);
    }

    /** One unpadded sequence. */
    public static TokenBatch single(long[] sequence) {
        return of(List.of(sequence), PaddingSide.RIGHT, 0);
    }

    public int size() {
        return ids.length;
    }

    public int width() {
        return ids[0].length;
    }

    /** Number of real tokens in row {@code b}. */
    public int length(int b) {
        int n = 0;
        for (int m : mask[b]) {
            n += m;
        }
        return n;
    }

    /** Real tokens in the whole batch. */
    public long realTokens() {
        long n = 0;
        for (int b = 0; b < size(); b++) {
            n += length(b);
        }
        return n;
    }

    /** Position of every slot: running count of real tokens before it (pads get the position of the next token, or 0). */
    public long[][] positions() {
        long[][] positions = new long[size()][width()];
        for (int b = 0; b < size(); b++) {
            long next = 0;
            for (int t = 0; t < width(); t++) {
                positions[b][t] = next;
                next += mask[b][t];
            }
        }
        return positions;
    }

    /** The real token ids of row {@code b}, pads removed. */
    public long[] tokens(int b) {
        long[] out = new long[length(b)];
        int i = 0;
        for (int t = 0; t < width(); t++) {
            if (mask[b][t] == 1) {
                out[i++] = ids[b][t];
            }
        }
        return out;
    }
}
