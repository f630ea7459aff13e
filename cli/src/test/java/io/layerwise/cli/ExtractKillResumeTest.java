package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.store.StoreManifest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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

        Process child = childJvm(args);
        try {
            waitForFirstCommittedShard(store, child);
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            child.destroyForcibly();
        }
        StoreManifest killed = StoreManifest.read(store);
        assertThat(killed.complete()).as("the child was killed before it finished").isFalse();
        assertThat(killed.shards().size()).isBetween(1, killed.shardCount() - 1);

        ExtractCommandTest.Result resumed = ExtractCommandTest.run(args);
        assertThat(resumed.status()).as(resumed.err()).isZero();
        assertThat(resumed.out()).contains("store     resume: " + killed.shards().size() + " of 38 shards committed");
        assertThat(StoreManifest.read(store).complete()).isTrue();

        assertSameStore(uninterrupted, store);
    }

    /** Starts {@code layerwise args} in a new JVM with this test's classpath and native settings. */
    private Process childJvm(String[] args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xss4m",
                "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=" + System.getProperty("ai.djl.pytorch.num_threads", "2"),
                "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("java.class.path"), Layerwise.class.getName()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(temp.resolve("child.log").toFile()).start();
    }

    private void waitForFirstCommittedShard(Path store, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                throw new AssertionError("the child ended before it could be killed:\n"
                        + Files.readString(temp.resolve("child.log")));
            }
            if (StoreManifest.exists(store)) {
                try {
                    if (!StoreManifest.read(store).shards().isEmpty()) {
                        return;
                    }
                } catch (RuntimeException e) {
                    // the manifest is replaced by rename, so a read sees a whole file; retry on any race anyway
                }
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no shard committed within 120 s:\n" + Files.readString(temp.resolve("child.log")));
    }

    private static void assertSameStore(Path expected, Path actual) throws IOException {
        TreeMap<String, Path> expectedFiles = files(expected);
        TreeMap<String, Path> actualFiles = files(actual);
        assertThat(actualFiles.keySet()).isEqualTo(expectedFiles.keySet());
        for (String name : expectedFiles.keySet()) {
            if (name.equals("manifest.json")) {
                assertThat(withoutTimestamps(actualFiles.get(name))).isEqualTo(withoutTimestamps(expectedFiles.get(name)));
            } else {
                assertThat(Files.readAllBytes(actualFiles.get(name))).as(name).isEqualTo(Files.readAllBytes(expectedFiles.get(name)));
            }
        }
    }

    private static TreeMap<String, Path> files(Path root) throws IOException {
        TreeMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(f -> files.put(root.relativize(f).toString().replace(File.separatorChar, '/'), f));
        }
        return files;
    }

    private static ObjectNode withoutTimestamps(Path manifest) throws IOException {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(manifest.toFile());
        tree.remove(List.of("created_at", "updated_at"));
        return tree;
    }
}
