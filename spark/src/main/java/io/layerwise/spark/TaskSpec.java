package io.layerwise.spark;

import java.io.Serializable;
import java.util.List;

/**
 * What every task needs to rebuild the driver's extraction plan in its own JVM: the config file, the
 * {@code -s} overrides, and how many shard slices there are. Plans are not shipped (they hold the whole
 * data set); each executor plans once from the same files, which is why the config, the data and the store
 * must be on a file system every executor sees, under the same paths.
 *
 * @param job a fresh id per run, so an executor never reuses the plan of an earlier run
 * @param config absolute path of the YAML config
 * @param overrides the {@code key=value} overrides, in order
 * @param slices tasks the store's shards are spread over
 * @param threadsPerTask native threads for the executor's model, or 0 for the launcher's default
 */
public record TaskSpec(String job, String config, List<String> overrides, int slices, int threadsPerTask)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public TaskSpec {
        overrides = List.copyOf(overrides);
    }
}
