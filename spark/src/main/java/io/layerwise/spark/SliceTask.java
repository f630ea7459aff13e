package io.layerwise.spark;

import io.layerwise.datasets.extract.ExtractionJob;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.ExtractionProgress;
import io.layerwise.datasets.extract.ExtractionStats;
import io.layerwise.datasets.extract.ShardSlice;
import io.layerwise.models.runtime.FrozenTransformer;
import java.io.Serializable;

/**
 * The function a Spark task runs: compute the missing shards of slice {@code slice}. It is the same shard
 * function a plain extraction and {@code --shard i/N} run ({@link ExtractionJob#compute}), with the
 * plan and model kept by {@link ExecutorCache} for the executor JVM. Spark may run a slice more than once
 * (retries); an attempt skips shards already committed, and recomputing one writes the same bytes.
 */
@FunctionalInterface
public interface SliceTask extends Serializable {

    /** The extraction itself. */
    SliceTask EXTRACT = (spec, slice) -> {
        ExtractionPlan plan = ExecutorCache.plan(spec);
        FrozenTransformer model = ExecutorCache.model(plan, spec.threadsPerTask());
        ShardSlice shards = new ShardSlice(slice, spec.slices());
        ExtractionStats stats = new ExtractionJob(plan, ExtractionProgress.SILENT).compute(model, shards.select(plan.shards()));
        return new TaskResult(slice, stats.examplesComputed(), stats.tokensComputed(), stats.shardsComputed(),
                stats.shardsReused(), ExecutorCache.jvm());
    };

    TaskResult run(TaskSpec spec, int slice) throws Exception;
}
