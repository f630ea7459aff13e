package io.layerwise.spark;

import io.layerwise.datasets.extract.ExecutionConfig;
import io.layerwise.datasets.extract.ExtractionEngine;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.ExtractionProgress;
import io.layerwise.datasets.extract.ExtractionStats;

/**
 * {@code execution.engine: spark}, found by the command line through {@link java.util.ServiceLoader}.
 * This class names no Spark type, so listing it never fails even where Spark's jars are absent; the work
 * happens in {@link SparkExtraction}. Progress is not reported per batch: tasks run in other JVMs, and
 * Spark logs each finished task.
 */
public final class SparkExtractionEngine implements ExtractionEngine {

    @Override
    public ExecutionConfig.Engine engine() {
        return ExecutionConfig.Engine.SPARK;
    }

    @Override
    public ExtractionStats run(ExtractionPlan plan, ExtractionProgress progress) {
        return new SparkExtraction(plan).run(SliceTask.EXTRACT);
    }
}
