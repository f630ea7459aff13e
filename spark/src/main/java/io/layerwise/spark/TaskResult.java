package io.layerwise.spark;

import java.io.Serializable;

/**
 * What one task did, sent back to the driver.
 *
 * @param slice the task's slice index
 * @param examplesComputed examples run through the model
 * @param tokensComputed real tokens run through the model
 * @param shardsComputed shards written
 * @param shardsReused shards of the slice already committed
 * @param jvm the executor JVM that ran it, {@code pid@host}
 */
public record TaskResult(int slice, long examplesComputed, long tokensComputed, int shardsComputed, int shardsReused,
        String jvm)
        implements Serializable {
    private static final long serialVersionUID = 1L;
}
