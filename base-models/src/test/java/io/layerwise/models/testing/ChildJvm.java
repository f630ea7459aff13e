package io.layerwise.models.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} class of the test classpath in a fresh JVM: for code that may abort the JVM
 * (bf16 through DJL), and for memory figures that must not include the test runner's heap.
 */
public final class ChildJvm {
    private ChildJvm() {}

    /** Exit status and combined stdout/stderr of a finished child. */
    public record Result(int exitCode, String output) {}

    /** Runs {@code mainClass} with {@code jvmOptions} and {@code args}; fails if it runs longer than {@code timeoutSeconds}. */
    public static Result run(Class<?> mainClass, List<String> jvmOptions, long timeoutSeconds, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add("-Dai.djl.offline=true");
        command.add("-Dai.djl.pytorch.num_interop_threads=1");
        for (String property : List.of("ai.djl.pytorch.num_threads", "layerwise.shared", "layerwise.threads")) {
            if (System.getProperty(property) != null) {
                command.add("-D" + property + "=" + System.getProperty(property));
            }
        }
        command.addAll(jvmOptions);
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            StringBuilder output = new StringBuilder();
            Thread reader = new Thread(() -> {
                try {
                    output.append(new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                    output.append("[output lost: ").append(e.getMessage()).append(']');
                }
            });
            reader.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(mainClass.getSimpleName() + " did not finish in " + timeoutSeconds + " s");
            }
            reader.join();
            return new Result(process.exitValue(), output.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
