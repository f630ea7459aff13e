package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.datasets.store.StoreLayout;
import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.datasets.store.StoreWriter;
import io.layerwise.datasets.testing.StoreComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real extraction process killed (SIGKILL) in the middle of its work and started again finishes with a
 * store byte-identical to an uninterrupted run's: every file the same, the manifest the same except its
 * timestamps. Per-token rows (pooling none) of two taps are used, so shard sizes vary with the texts.
 */
class ExtractKillResumeTest {
    private static final Path REPO = ExtractCommandTest.REPO;

    @TempDir
    Path temp;

    @Test
    void killedExtractionResumedToCompletionEqualsAnUninterruptedRun() throws Exception {
        Path store = temp.resolve("store");
        String[] args = {"extract", REPO.resolve("configs/quickstart-extract.yaml").toString(),
            "-s", "dataset.path=" + ExtractCommandTest.QUICKSTART_DATA, "-s", "output=" + store,
            "-s", "pooling=none", "-s", "taps=[residual, heads]", "-s", "layers=[2, 5]",
            "-s", "shard_size=8", "-s", "batch_size=4"};

        ExtractCommandTest.Result reference = ExtractCommandTest.run(args);
        assertThat(reference.status()).as(reference.err()).isZero();
        Path uninterrupted = temp.resolve("uninterrupted");
        Files.move(store, uninterrupted);

        Process child = LayerwiseProcess.start(temp.resolve("child.log"), args);
        try {
            waitForFirstCommittedShard(store, child);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        StoreManifest killed = StoreManifest.read(store);
        assertThat(killed.complete()).as("the child was killed before it finished").isFalse();
        int committed = StoreWriter.committedShards(store, killed).size();
        assertThat(committed).isBetween(1, killed.shardCount() - 1);

        ExtractCommandTest.Result resumed = ExtractCommandTest.run(args);
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("store     resume: " + committed + " of 38 shards committed");
        assertThat(StoreManifest.read(store).complete()).isTrue();

        StoreComparison.assertSameStore(uninterrupted, store);
    }

    private void waitForFirstCommittedShard(Path store, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child ended before it could be killed:\n"
                        + Files.readString(temp.resolve("child.log")));
            }
            if (Files.isRegularFile(StoreLayout.entry(store, 0))) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no shard committed within 120 s:\n" + Files.readString(temp.resolve("child.log")));
    }
}
