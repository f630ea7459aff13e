package io.layerwise.datasets.extract;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Groups the texts of one shard into batches of similar length, so little of each batch is padding:
 * texts are ordered by token count, longest first (a batch too large for memory then fails at once, not
 * hours in), ties by position, and cut into consecutive batches. The grouping depends only on the
 * shard's token counts and the batch size, so a resumed job forms exactly the batches an uninterrupted
 * one did, and its activations have the same bits.
 */
final class LengthBuckets {
    private LengthBuckets() {}

    /** Batches of positions into {@code lengths}, each of at most {@code batchSize}. */
    static List<int[]> batches(int[] lengths, int batchSize) {
        int[] order = IntStream.range(0, lengths.length).boxed()
                .sorted(Comparator.<Integer>comparingInt(i -> -lengths[i]).thenComparingInt(i -> i))
                .mapToInt(Integer::intValue).toArray();
        List<int[]> batches = new ArrayList<>();
        for (int start = 0; start < order.length; start += batchSize) {
            int end = Math.min(order.length, start + batchSize);
            int[] batch = new int[end - start];
            System.arraycopy(order, start, batch, 0, batch.length);
            batches.add(batch);
        }
        return batches;
    }

    /** Token slots the batches fill, pads included: the sum over batches of size times longest text. */
    static long paddedTokens(int[] lengths, List<int[]> batches) {
        long slots = 0;
        for (int[] batch : batches) {
            int width = 0;
            for (int i : batch) {
                width = Math.max(width, lengths[i]);
            }
            slots += (long) width * batch.length;
        }
        return slots;
    }
}
