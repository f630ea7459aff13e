package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.bench.RandomLlamaCheckpoint;
import io.layerwise.models.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A generated 3.2 GB bf16 checkpoint in Llama layout (1.59e9 parameters, two shards, the first
 * 2.5 GB) runs a forward pass in each precision with the process's anonymous RSS below 1.5 GB:
 * the weights are page cache of the mapped files, not heap or native memory. Measured in child JVMs
 * (-Xmx512m) so the figures are the model's, not the test runner's. Tagged slow: writing the
 * checkpoint (~15 s) and the two child JVMs take about 25 s on 2 cores.
 */
@Tag("slow")
class LargeBf16CheckpointMemoryTest {
    private static final RandomLlamaCheckpoint THREE_GB = new RandomLlamaCheckpoint(2048, 24, 16, 4, 8192, 32000);
    private static final long MAX_ANONYMOUS_MIB = 1500;
    private static final Pattern PEAK = Pattern.compile("peak_anon_mib=(\\d+)");

    @TempDir
    Path temp;

    @Test
    void threeGigabyteBf16ModelRunsWithAnonymousMemoryBelowOneAndAHalfGigabytes() throws Exception {
        assertThat(THREE_GB.bytes()).isGreaterThan(3_000_000_000L);
        Path dir = temp.resolve("llama-3gb");
        long start = System.nanoTime();
        THREE_GB.write(dir, 42, 2_500_000_000L);
        System.out.printf("wrote %d bytes in %.1f s%n", THREE_GB.bytes(), (System.nanoTime() - start) / 1e9);
        assertThat(Files.size(dir.resolve("model-00001-of-00002.safetensors"))).isGreaterThan(1L << 31);
        for (String precision : List.of("f32", "bf16")) {
            ChildJvm.Result result = ChildJvm.run(MemoryProbe.class, List.of("-Xmx512m"), 600, dir.toString(),
                    precision, "1", "64");
            System.out.print(result.output().lines().filter(l -> l.contains("=")).map(l -> l + "\n")
                    .reduce("", String::concat));
            assertThat(result.exitCode()).as(result.output()).isZero();
            Matcher peak = PEAK.matcher(result.output());
            assertThat(peak.find()).as(result.output()).isTrue();
            assertThat(Long.parseLong(peak.group(1))).as(precision + " peak anonymous RSS (MiB)")
                    .isLessThan(MAX_ANONYMOUS_MIB);
        }
    }
}
