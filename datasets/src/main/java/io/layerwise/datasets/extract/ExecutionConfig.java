package io.layerwise.datasets.extract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import io.layerwise.datasets.config.ConfigFieldException;
import java.util.Map;
import java.util.TreeMap;

/**
 * How an extraction runs, not what it computes: the {@code execution} section of an extraction config.
 * The store is the same bytes whichever engine writes it, so this section is left out of the store's
 * {@code config.resolved.yaml} and of its identity.
 *
 * <pre>
 * execution:
 *   engine: spark                 # local (default: this process) or spark (the layerwise-spark module)
 *   shards: 8                     # Spark tasks; each takes a contiguous range of the store's shards
 *                                 # (default: one task per store shard, i.e. per shard_size texts)
 *   threads_per_task: 2           # PyTorch (and ND4J) threads in each task's JVM (default: layerwise.threads)
 *   spark:
 *     master: local[2,2]          # leave unset under spark-submit, which sets it
 *     conf: {spark.task.maxFailures: "4"}
 * </pre>
 *
 * @param engine where the shards are computed
 * @param shards tasks the store's shards are spread over, at least 1; null = one per store shard
 * @param threadsPerTask native threads per task, at least 1; null = the launcher's thread count
 * @param spark Spark settings, used when {@code engine} is {@code spark}
 */
public record ExecutionConfig(Engine engine, Integer shards, Integer threadsPerTask, SparkConfig spark) {

    /** This process, no section in the config. */
    public static final ExecutionConfig LOCAL = new ExecutionConfig(null, null, null, null);

    /** Where shards are computed. */
    public enum Engine {
        /** In this process, one shard after the other (or the slice {@code --shard i/N} names). */
        LOCAL,
        /** As Spark tasks, through the optional layerwise-spark module. */
        SPARK;

        @JsonCreator
        public static Engine fromConfig(String name) {
            return ConfigEnums.parse(Engine.class, name);
        }

        @JsonValue
        public String configName() {
            return ConfigEnums.configName(this);
        }
    }

    /**
     * @param master the Spark master URL ({@code local[N,F]}, {@code spark://host:7077}, ...); null under
     *     {@code spark-submit}
     * @param conf further Spark properties, e.g. {@code spark.task.maxFailures}
     */
    public record SparkConfig(String master, Map<String, String> conf) {
        public SparkConfig {
            conf = conf == null ? Map.of() : new TreeMap<>(conf);
        }
    }

    public ExecutionConfig {
        engine = engine == null ? Engine.LOCAL : engine;
        if (shards != null && shards < 1) {
            throw new ConfigFieldException("shards", "must be at least 1, got " + shards);
        }
        if (threadsPerTask != null && threadsPerTask < 1) {
            throw new ConfigFieldException("threads_per_task", "must be at least 1, got " + threadsPerTask);
        }
        spark = spark == null ? new SparkConfig(null, null) : spark;
    }
}
