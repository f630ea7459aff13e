package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.datasets.store.StoreLayout;
import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.datasets.testing.StoreComparison;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code layerwise extract CONFIG --shard i/N} in separate processes, as a Slurm job array or a Kubernetes
 * indexed Job runs them, then {@code --merge}: the store equals one plain {@code extract}'s byte for byte.
 * A merge while a worker's shards are missing refuses and names them; a worker killed in the middle of
 * writing a shard leaves only a temporary file, which no merge accepts, and running that worker again
 * finishes the store. Per-token rows of two taps make the shards uneven.
 */
class ShardedExtractCommandTest {
    @TempDir
    Path temp;

    @Test
    void workersInSeparateProcessesPlusMergeEqualOnePlainExtract() throws Exception {
        Path store = temp.resolve("store");
        Path data = texts(96);
        // 96 texts in 6 shards of 16; workers 0/3, 1/3, 2/3 get shards 0-1, 2-3, 4-5
        String[] args = {"extract", ExtractCommandTest.QUICKSTART_CONFIG.toString(),
            "-s", "dataset.path=" + data, "-s", "dataset.format=jsonl", "-s", "output=" + store,
            "-s", "pooling=none", "-s", "taps=[residual, heads]", "-s", "layers=[2, 5]",
            "-s", "shard_size=16", "-s", "batch_size=2"};
        ExtractCommandTest.Result plain = ExtractCommandTest.run(args);
        assertThat(plain.status()).as(plain.err()).isZero();
        Path reference = temp.resolve("plain");
        Files.move(store, reference);

        ExtractCommandTest.Result early = ExtractCommandTest.run(ExtractCommandTest.concat(args, "--merge"));
        assertThat(early.status()).isEqualTo(2);
        assertThat(early.err()).contains("holds no store yet");

        Process first = LayerwiseProcess.start(temp.resolve("worker0.log"), ExtractCommandTest.concat(args, "--shard", "0/3"));
        Process last = LayerwiseProcess.start(temp.resolve("worker2.log"), ExtractCommandTest.concat(args, "--shard", "2/3"));
        assertFinished(first, "worker0.log");
        assertFinished(last, "worker2.log");
        assertThat(Files.readString(temp.resolve("worker2.log"))).contains("worker    2/3: shards 4-5 (texts 64-95)");

        ExtractCommandTest.Result missing = ExtractCommandTest.run(ExtractCommandTest.concat(args, "--merge"));
        assertThat(missing.status()).isEqualTo(2);
        assertThat(missing.err()).contains("2 of 6 shards are not committed", "shard(s) 2-3 ");
        assertThat(StoreManifest.read(store).complete()).isFalse();

        Process killed = LayerwiseProcess.start(temp.resolve("worker1.log"), ExtractCommandTest.concat(args, "--shard", "1/3"));
        try {
            Path partial = waitForTemporaryFile(store, killed, "worker1.log");
            killed.destroyForcibly();
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(partial).as("the killed worker's half-written shard").exists();
        } finally {
            killed.destroyForcibly();
        }
        assertThat(StoreLayout.entry(store, 2)).as("no commit record for the shard being written").doesNotExist();
        ExtractCommandTest.Result stillMissing = ExtractCommandTest.run(ExtractCommandTest.concat(args, "--merge"));
        assertThat(stillMissing.status()).isEqualTo(2);
        assertThat(stillMissing.err()).contains("2 of 6 shards are not committed", "shard(s) 2-3 ");

        // worker 1 again, in this JVM: still a process apart from workers 0 and 2
        ExtractCommandTest.Result again = ExtractCommandTest.run(ExtractCommandTest.concat(args, "--shard", "1/3"));
        assertThat(again.status()).as(again.err()).isZero();
        assertThat(again.out()).contains("2 shard(s) written, 0 resumed");
        ExtractCommandTest.Result merged = ExtractCommandTest.run(ExtractCommandTest.concat(args, "--merge"));
        assertThat(merged.status()).as(merged.err()).isZero();
        assertThat(merged.out()).contains("merged 6 shards");

        StoreComparison.assertSameStore(reference, store);
    }

    @Test
    void malformedShardArgumentIsRefused() {
        ExtractCommandTest.Result r = ExtractCommandTest.run("extract", ExtractCommandTest.QUICKSTART_CONFIG.toString(),
                "--dry-run", "--shard", "3/3");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.err()).contains("--shard a shard slice is i/N with 0 <= i < N, got 3/3");
    }

    /** {@code n} labelled texts of 2 to 24 words, as JSONL. */
    private Path texts(int n) throws java.io.IOException {
        StringBuilder jsonl = new StringBuilder();
        for (int i = 0; i < n; i++) {
            String words = String.join(" ", java.util.Collections.nCopies(1 + i % 23, i % 2 == 0 ? "thanks" : "nonsense"));
            jsonl.append("{\"text\": \"Comment ").append(i).append(": ").append(words).append("\", \"label\": ")
                    .append(i % 2).append("}\n");
        }
        return Files.writeString(temp.resolve("texts.jsonl"), jsonl);
    }

    private void assertFinished(Process worker, String log) throws Exception {
        assertThat(worker.waitFor(180, TimeUnit.SECONDS)).as(log).isTrue();
        assertThat(worker.exitValue()).as(Files.readString(temp.resolve(log))).isZero();
    }

    /** Waits until the worker has a shard file open under a temporary name, i.e. is in the middle of writing it. */
    private Path waitForTemporaryFile(Path store, Process worker, String log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!worker.isAlive()) {
                throw new AssertionError("the worker ended before it could be killed:\n" + Files.readString(temp.resolve(log)));
            }
            Optional<Path> partial = temporaryShardFile(store);
            if (partial.isPresent()) {
                return partial.get();
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no shard started within 120 s:\n" + Files.readString(temp.resolve(log)));
    }

    private static Optional<Path> temporaryShardFile(Path store) throws Exception {
        for (String tap : List.of("residual", "heads")) {
            Path dir = store.resolve(tap).resolve("layer_5");
            if (Files.isDirectory(dir)) {
                try (Stream<Path> files = Files.list(dir)) {
                    Optional<Path> found = files.filter(f -> f.getFileName().toString().startsWith("shard_00002.npy.tmp-")).findFirst();
                    if (found.isPresent()) {
                        return found;
                    }
                }
            }
        }
        return Optional.empty();
    }
}
