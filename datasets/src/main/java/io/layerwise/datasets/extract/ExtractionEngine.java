package io.layerwise.datasets.extract;

import java.util.ServiceLoader;

/**
 * A way of computing an extraction's shards other than this process, chosen by
 * {@code execution.engine}. Engines live in optional modules (layerwise-spark) and are found with
 * {@link ServiceLoader}, so the command line never depends on them: without the module on the classpath
 * the engine is simply not available. An engine computes the shards through
 * {@link ExtractionJob#compute} (the shard function every engine shares) and completes the store with
 * {@link ExtractionJob#merge}; when shards fail for good it leaves the committed ones in place and throws
 * a {@link io.layerwise.datasets.DatasetException} naming the others.
 *
 * <pre>{@code
 * // META-INF/services/io.layerwise.datasets.extract.ExtractionEngine lists the implementation
 * ExtractionEngine engine = ExtractionEngine.find(ExecutionConfig.Engine.SPARK).orElseThrow();
 * ExtractionStats stats = engine.run(plan, progress);
 * }</pre>
 */
public interface ExtractionEngine {

    /** The {@code execution.engine} value this engine serves. */
    ExecutionConfig.Engine engine();

    /** Computes every missing shard of {@code plan} and completes the store. */
    ExtractionStats run(ExtractionPlan plan, ExtractionProgress progress);

    /** The engine on the classpath that serves {@code engine}, if any. */
    static java.util.Optional<ExtractionEngine> find(ExecutionConfig.Engine engine) {
        return ServiceLoader.load(ExtractionEngine.class).stream().map(ServiceLoader.Provider::get)
                .filter(e -> e.engine() == engine).findFirst();
    }
}
