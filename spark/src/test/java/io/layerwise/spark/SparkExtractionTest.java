package io.layerwise.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.layerwise.cli.Layerwise;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.ExtractionJob;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.ExtractionProgress;
import io.layerwise.datasets.extract.ExtractionStats;
import io.layerwise.datasets.store.StoreLayout;
import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.datasets.testing.StoreComparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * {@code execution.engine: spark} on {@code local[2,2]} (two task threads, up to two attempts per task):
 * with one injected task failure, Spark's retry still gives a store byte-identical to a plain extraction,
 * and the failure reaches the logs (a wrong {@code slf4j-api} would route Spark's logging to NOP and lose
 * it silently). A task that fails on every attempt leaves the other shards committed and no complete
 * manifest, the error names the missing shard, and running the command again computes only that shard.
 * The bundled MiniLM over the 300 quick-start comments, in 4 shards of 75 ({@link QuickstartConfigs}).
 */
class SparkExtractionTest {
    @TempDir
    static Path shared;
    /** Every run writes here (the output path is part of the store's resolved config); the plain store is moved away. */
    private static Path store;
    private static Path reference;

    @TempDir
    Path temp;

    @BeforeAll
    static void plainExtraction() throws IOException {
        store = shared.resolve("store");
        reference = shared.resolve("plain");
        new ExtractionJob(plan(config(shared, store, "local")), ExtractionProgress.SILENT).run();
        Files.move(store, reference);
    }

    @AfterEach
    void removeStore() throws IOException {
        try (Stream<Path> files = Files.walk(store)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    @Test
    void oneInjectedTaskFailureIsRetriedAndTheStoreEqualsAPlainExtraction() throws IOException {
        assertThat(LoggerFactory.getILoggerFactory()).as("SLF4J's provider").isInstanceOf(LoggerContext.class);
        ListAppender<ILoggingEvent> sparkLog = new ListAppender<>();
        Logger spark = (Logger) LoggerFactory.getLogger("org.apache.spark");
        sparkLog.start();
        spark.addAppender(sparkLog);
        ExtractionPlan plan = plan(config(temp, store, "spark"));
        SliceTask failsOnce = (spec, slice) -> {
            if (slice == 1 && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of slice 1");
            }
            return SliceTask.EXTRACT.run(spec, slice);
        };
        ExtractionStats stats;
        try {
            stats = new SparkExtraction(plan).run(failsOnce);
        } finally {
            spark.detachAppender(sparkLog);
        }
        assertThat(stats.shardsComputed()).isEqualTo(4);
        assertThat(stats.examplesComputed()).isEqualTo(300);
        assertThat(sparkLog.list).as("Spark's warning about the lost task").anySatisfy(e ->
                assertThat(e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage())).contains("Lost task")
                        .contains("injected failure of slice 1"));
        StoreComparison.assertSameStore(reference, store);
    }

    @Test
    void exhaustedRetriesLeaveTheOtherShardsAndARerunComputesOnlyTheMissingOne() throws Exception {
        Path config = config(temp, store, "spark");
        String directory = store.toString();
        SliceTask slice2AlwaysFails = (spec, slice) -> {
            if (slice == 2) {
                // wait for the other slices, so that exactly shard 2 is missing when the job is given up
                for (int k : List.of(0, 1, 3)) {
                    while (!Files.exists(StoreLayout.entry(Path.of(directory), k))) {
                        Thread.sleep(20);
                    }
                }
                throw new IllegalStateException("injected failure of slice 2, attempt " + TaskContext.get().attemptNumber());
            }
            return SliceTask.EXTRACT.run(spec, slice);
        };
        assertThatThrownBy(() -> new SparkExtraction(plan(config)).run(slice2AlwaysFails))
                .isInstanceOf(DatasetException.class)
                .hasMessageContaining("injected failure of slice 2, attempt 1")
                .hasMessageContaining("1 of 4 shards are not committed: [2]")
                .hasMessageContaining("The 3 committed shard(s) are kept");
        assertThat(StoreManifest.read(store).complete()).isFalse();
        assertThat(StoreLayout.entry(store, 2)).doesNotExist();

        // the command line finds the engine through ServiceLoader
        assertThat(Layerwise.run("extract", config.toString())).isZero();
        StoreManifest done = StoreManifest.read(store);
        assertThat(done.complete()).isTrue();
        StoreComparison.assertSameStore(reference, store);
    }

    private static ExtractionPlan plan(Path config) {
        return ExtractionPlan.create(ConfigLoader.load(config, List.of(), ExtractionConfig.class));
    }

    private static Path config(Path dir, Path store, String engine) throws IOException {
        return QuickstartConfigs.write(dir.resolve(engine + "-extract.yaml"), store, engine, "master: 'local[2,2]'");
    }
}
