package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.datasets.testing.StoreComparison;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/slurm/extract-array.sh} on a real (one-node) Slurm cluster: a 2-element job array of
 * {@code --shard i/2} workers and a merge job gives the store of one plain extraction. Needs a running
 * cluster ({@code scripts/slurm/one-node-cluster.sh} as root) and a built launcher ({@code bin/layerwise
 * --help}); tagged {@code slurm}, run by {@code mvn -P slurm -pl cli -am test -Dtest=SlurmArrayTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("slurm")
class SlurmArrayTest {
    @TempDir
    Path temp;

    @Test
    void jobArrayOfTwoWorkersAndAMergeEqualOnePlainExtract() throws Exception {
        Path store = temp.resolve("store");
        String[] overrides = {"-s", "dataset.path=" + ExtractCommandTest.QUICKSTART_DATA, "-s", "output=" + store,
            "-s", "shard_size=75", "-s", "layers=[2, 5]"};
        ExtractCommandTest.Result plain = ExtractCommandTest.run(ExtractCommandTest.concat(
                new String[] {"extract", ExtractCommandTest.QUICKSTART_CONFIG.toString()}, overrides));
        assertThat(plain.status()).as(plain.err()).isZero();
        Path reference = temp.resolve("plain");
        Files.move(store, reference);

        String submitted = run(ExtractCommandTest.concat(new String[] {
            ExtractCommandTest.REPO.resolve("scripts/slurm/extract-array.sh").toString(),
            ExtractCommandTest.QUICKSTART_CONFIG.toString(), "2"}, overrides));
        assertThat(submitted).contains("submitted array job");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!(StoreManifest.exists(store) && StoreManifest.read(store).complete())) {
            assertThat(System.nanoTime()).as("the merge job did not complete the store in 10 minutes").isLessThan(deadline);
            Thread.sleep(1000);
        }
        StoreComparison.assertSameStore(reference, store);
    }

    /** Runs a command in the test's temporary directory (Slurm writes its logs there) and returns its output. */
    private String run(String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // one CPU per worker, so that both fit on a small node
        builder.environment().put("CPUS", "1");
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(out).isZero();
        return out;
    }
}
