package io.layerwise.spark;

import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.extract.ExecutionConfig;
import io.layerwise.datasets.extract.ExtractionJob;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.ExtractionStats;
import io.layerwise.datasets.extract.ShardSlice;
import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.datasets.store.StoreWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver side of {@code execution.engine: spark}: spreads the plan's shards over
 * {@code execution.shards} tasks ({@link ShardSlice}s, one RDD partition each), lets Spark run and retry
 * them, then merges on the driver. When a task exhausts its retries ({@code spark.task.maxFailures}) the
 * job fails: the shards committed by then stay, the store gets no complete manifest, and the error names
 * the shards that are missing; running the same command again computes only those.
 *
 * <pre>{@code
 * ExtractionStats stats = new SparkExtraction(plan).run(SliceTask.EXTRACT);
 * }</pre>
 */
public final class SparkExtraction {
    private static final Logger LOG = LoggerFactory.getLogger(SparkExtraction.class);
    private final ExtractionPlan plan;

    public SparkExtraction(ExtractionPlan plan) {
        this.plan = plan;
    }

    /** Runs every slice through {@code task} on Spark and completes the store. */
    public ExtractionStats run(SliceTask task) {
        ExecutionConfig execution = plan.config().execution();
        int slices = Math.min(execution.shards() == null ? plan.shards().size() : execution.shards(), plan.shards().size());
        TaskSpec spec = new TaskSpec(UUID.randomUUID().toString(), plan.source().file().toAbsolutePath().toString(),
                List.copyOf(plan.source().overrides().values()), slices,
                execution.threadsPerTask() == null ? 0 : execution.threadsPerTask());
        SparkConf conf = conf(execution);
        long start = System.nanoTime();
        List<TaskResult> results;
        double startSeconds;
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            startSeconds = (System.nanoTime() - start) / 1e9;
            List<Integer> indices = IntStream.range(0, slices).boxed().toList();
            results = spark.parallelize(indices, slices).map(slice -> task.run(spec, slice)).collect();
        } catch (Exception e) {
            throw failed(e);
        }
        long end = System.nanoTime();
        ExtractionJob.merge(plan);
        long examples = 0;
        long tokens = 0;
        int computed = 0;
        int reused = 0;
        Set<String> jvms = new TreeSet<>();
        for (TaskResult r : results) {
            jvms.add(r.jvm());
            examples += r.examplesComputed();
            tokens += r.tokensComputed();
            computed += r.shardsComputed();
            reused += r.shardsReused();
        }
        LOG.info("{} Spark task(s) ran in {} executor JVM(s): {}", results.size(), jvms.size(), jvms);
        return new ExtractionStats(plan.examples().size(), plan.rows(), examples, tokens, computed, reused, startSeconds,
                (end - start) / 1e9 - startSeconds);
    }

    private SparkConf conf(ExecutionConfig execution) {
        SparkConf conf = new SparkConf().setAppName("layerwise extract " + plan.output());
        ExecutionConfig.SparkConfig settings = execution.spark();
        if (settings.master() != null) {
            conf.setMaster(settings.master());
        }
        // no web UI unless asked for: a port per run, and nothing to look at for a batch job
        conf.set("spark.ui.enabled", "false");
        // a duplicate attempt in the same JVM would share its temporary file names (AtomicFiles: name + pid)
        conf.set("spark.speculation", "false");
        if (execution.threadsPerTask() != null) {
            String threads = execution.threadsPerTask().toString();
            conf.setExecutorEnv("OMP_NUM_THREADS", threads);
            conf.setExecutorEnv("LAYERWISE_THREADS", threads);
        }
        for (Map.Entry<String, String> e : settings.conf().entrySet()) {
            conf.set(e.getKey(), e.getValue());
        }
        if (!conf.contains("spark.master")) {
            throw plan.source().error("execution.spark.master", "is unset and no spark-submit set one: give a master"
                    + " URL (local[4] runs 4 tasks in this JVM) or submit with spark-submit");
        }
        return conf;
    }

    /** The job failed for good: say which shards are missing, keep the committed ones. */
    private DatasetException failed(Exception e) {
        Set<Integer> committed = StoreManifest.exists(plan.output())
                ? StoreWriter.committedShards(plan.output(), StoreManifest.read(plan.output())) : Set.of();
        List<Integer> missing = new ArrayList<>(new TreeSet<>(plan.shards().stream().map(ExtractionPlan.ShardPlan::index)
                .filter(k -> !committed.contains(k)).toList()));
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return new DatasetException("Spark gave up on the extraction (" + e.getClass().getSimpleName() + ": "
                + firstLine(e.getMessage()) + "; first cause: " + cause.getClass().getSimpleName() + ": "
                + firstLine(cause.getMessage()) + ").\n" + missing.size() + " of " + plan.shards().size()
                + " shards are not committed: " + missing + ". The " + committed.size() + " committed shard(s) are kept"
                + " and the store has no complete manifest; run the same command again to compute only the missing"
                + " shards.", e);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
