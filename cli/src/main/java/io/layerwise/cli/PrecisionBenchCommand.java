package io.layerwise.cli;

import io.layerwise.models.bench.PrecisionThroughput;
import io.layerwise.models.bench.RandomLlamaCheckpoint;
import io.layerwise.models.weights.TensorDType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerwise bench precision}: forward tokens/s of {@code bf16} against {@code f32} on the same
 * bf16 model and batch, every residual tapped, with each configuration's peak RSS and the CPU's
 * bf16 flags. Without {@code --model} it generates a GPT-2-small-sized Llama-layout model (bf16, and
 * the same values as float32 for a third, widening-free f32 row) in a temporary directory.
 */
@Command(name = "precision", mixinStandardHelpOptions = true,
        description = "bf16 vs f32 forward tokens/s (all residual taps) and peak RSS on one model, with the CPU's bf16 flags.")
final class PrecisionBenchCommand implements Callable<Integer> {
    @Option(names = "--model", description = "A bf16 model directory (default: generate a GPT-2-small-sized one)")
    Path model;

    @Option(names = "--batch", defaultValue = "8", description = "Sequences per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--tokens", defaultValue = "128", description = "Tokens per sequence (default: ${DEFAULT-VALUE})")
    int tokens;

    @Option(names = "--iterations", defaultValue = "5", description = "Timed passes per configuration (default: ${DEFAULT-VALUE})")
    int iterations;

    @Override
    public Integer call() {
        if (batch < 1 || tokens < 1 || iterations < 1) {
            throw new UserInputException("--batch, --tokens and --iterations must be >= 1");
        }
        Path temp = null;
        try {
            Path bf16 = model;
            Path f32 = null;
            if (bf16 == null) {
                temp = Files.createTempDirectory("layerwise-bench-precision");
                RandomLlamaCheckpoint shape = RandomLlamaCheckpoint.GPT2_SMALL_SIZED;
                System.out.printf("generating a GPT-2-small-sized Llama-layout model (%d parameters) in %s%n",
                        shape.parameters(), temp);
                bf16 = temp.resolve("bf16");
                f32 = temp.resolve("f32");
                shape.write(bf16, 42, Long.MAX_VALUE, TensorDType.BF16);
                shape.write(f32, 42, Long.MAX_VALUE, TensorDType.F32);
            }
            PrecisionThroughput.Result r = new PrecisionThroughput(batch, tokens, iterations).run(bf16, f32, System.out);
            System.out.printf("machine: %s%n", r.machine());
            System.out.printf("model: %s (%.0fM parameters), batch %d x %d tokens, every residual tapped, %d thread(s)%n",
                    r.model(), r.parameters() / 1e6, batch, tokens, r.threads());
            System.out.println("| configuration | tokens/s | peak RSS (MiB) | peak anonymous RSS (MiB) |");
            System.out.println("|---|---:|---:|---:|");
            for (PrecisionThroughput.Measurement m : r.measurements()) {
                System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", m.label(), m.tokensPerSecond(),
                        m.peakRssBytes() / 1048576.0, m.peakAnonymousBytes() / 1048576.0);
            }
            System.out.printf(Locale.ROOT, "speed-up bf16 / f32 (same bf16 weights): %.2fx (target >= 1.8x with avx512_bf16 or amx)%n",
                    r.speedup());
            if (r.measurements().size() > 2) {
                System.out.printf(Locale.ROOT, "speed-up bf16 / f32 on float32 weights: %.2fx%n",
                        r.measurements().get(1).tokensPerSecond() / r.measurements().get(2).tokensPerSecond());
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (temp != null) {
                deleteRecursively(temp);
            }
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("could not delete " + dir + ": " + e.getMessage());
        }
    }
}
