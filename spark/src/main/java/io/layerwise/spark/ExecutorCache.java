package io.layerwise.spark;

import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.ExtractionJob;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.models.runtime.FrozenTransformer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an executor JVM keeps between tasks: the loaded models, one per model id and precision, shared by
 * every task (concurrent ones included) that runs there, so a model is loaded once per executor rather
 * than once per task; and the plan of the current run. Static on purpose: Spark creates no object that
 * lives as long as an executor, and a model is far too large to ship with a task.
 */
final class ExecutorCache {
    private static final Map<String, FrozenTransformer> MODELS = new ConcurrentHashMap<>();
    private static String planJob;
    private static ExtractionPlan plan;

    private ExecutorCache() {}

    /** This JVM as {@code pid@host}, to tell executors apart. */
    static String jvm() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }

    /** The plan of {@code spec}'s run, made once per executor JVM from the same config and overrides as the driver's. */
    static synchronized ExtractionPlan plan(TaskSpec spec) {
        if (!spec.job().equals(planJob)) {
            plan = ExtractionPlan.create(ConfigLoader.load(Path.of(spec.config()), spec.overrides(), ExtractionConfig.class));
            planJob = spec.job();
        }
        return plan;
    }

    /**
     * The executor's model for {@code plan}, loaded on first use. {@code threads} (when positive) becomes the
     * PyTorch thread count of this JVM; it takes effect only if the engine has not started yet, which holds
     * in executor JVMs, whose first model load is here.
     */
    static FrozenTransformer model(ExtractionPlan plan, int threads) {
        String key = plan.model().id() + "@" + plan.config().precision().label();
        return MODELS.computeIfAbsent(key, k -> {
            if (threads > 0) {
                System.setProperty("layerwise.threads", Integer.toString(threads));
            }
            return ExtractionJob.loadModel(plan);
        });
    }
}
