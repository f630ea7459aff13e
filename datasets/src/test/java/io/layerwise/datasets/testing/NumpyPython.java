package io.layerwise.datasets.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs Python scripts that check Java-written files with numpy, the independent reader of the
 * activation store. The interpreter is the first of {@code python3} on the PATH and Debian's
 * {@code /usr/bin/python3} that imports numpy ({@code .ci/run} installs {@code python3-numpy}); none
 * is a test failure with the fix in its message, never a skip. Checks against scikit-learn use
 * {@link #runWith} with {@code "sklearn"} ({@code .ci/run} installs {@code python3-sklearn}).
 */
public final class NumpyPython {
    private static final List<String> CANDIDATES = List.of("python3", "/usr/bin/python3");
    private static final java.util.Map<String, String> INTERPRETERS = new java.util.HashMap<>();

    private NumpyPython() {}

    /** What a script printed (stdout and stderr together) and its exit status. */
    public record Output(int status, String text) {}

    public static Output run(String script, String... args) throws IOException, InterruptedException {
        return runWith("numpy", script, args);
    }

    /** Runs {@code script} with the first interpreter that imports {@code modules} (comma-separated). */
    public static Output runWith(String modules, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(interpreter(modules), "-c", script));
        command.addAll(List.of(args));
        Process python = new ProcessBuilder(command).redirectErrorStream(true).start();
        String text = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!python.waitFor(120, TimeUnit.SECONDS)) {
            python.destroyForcibly();
            throw new AssertionError("python did not finish in 120 s: " + text);
        }
        return new Output(python.exitValue(), text);
    }

    private static synchronized String interpreter(String modules) throws InterruptedException {
        String found = INTERPRETERS.get(modules);
        if (found != null) {
            return found;
        }
        for (String candidate : CANDIDATES) {
            try {
                Process p = new ProcessBuilder(candidate, "-c", "import " + modules).redirectErrorStream(true).start();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    INTERPRETERS.put(modules, candidate);
                    return candidate;
                }
            } catch (IOException e) {
                // not installed under this name: try the next one
            }
        }
        throw new AssertionError("no Python with " + modules + " found (tried " + CANDIDATES
                + "): apt-get install python3-numpy python3-sklearn, as .ci/run does");
    }
}
