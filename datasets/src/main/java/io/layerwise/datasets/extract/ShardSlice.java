package io.layerwise.datasets.extract;

import io.layerwise.datasets.extract.ExtractionPlan.ShardPlan;
import java.util.List;

/**
 * Worker {@code index} of {@code count} ({@code --shard i/N}, a Slurm array index, a Kubernetes
 * completion index, a Spark partition): a contiguous range of the store's shards, fixed by the plan alone,
 * so every worker computes its range without talking to the others. The store's own shards (of
 * {@code shard_size} texts) do not depend on {@code count}, which is why any number of workers writes the
 * same files as one plain extraction.
 *
 * @param index this worker, 0-based
 * @param count workers in all
 */
public record ShardSlice(int index, int count) {

    /** One worker doing everything. */
    public static final ShardSlice ALL = new ShardSlice(0, 1);

    public ShardSlice {
        if (count < 1 || index < 0 || index >= count) {
            throw new IllegalArgumentException("a shard slice is i/N with 0 <= i < N, got " + index + "/" + count);
        }
    }

    /** Parses {@code i/N}. */
    public static ShardSlice parse(String text) {
        String[] parts = text.strip().split("/", -1);
        if (parts.length == 2) {
            try {
                return new ShardSlice(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new IllegalArgumentException("expected i/N (worker i of N, 0-based), e.g. 0/4; got '" + text + "'");
    }

    /** This worker's shards: {@code shards[floor(i S / N) .. floor((i + 1) S / N))} of the S planned. */
    public List<ShardPlan> select(List<ShardPlan> shards) {
        int s = shards.size();
        return shards.subList((int) ((long) index * s / count), (int) ((long) (index + 1) * s / count));
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
