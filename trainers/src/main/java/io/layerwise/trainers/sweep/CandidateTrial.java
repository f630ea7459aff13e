package io.layerwise.trainers.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.layerwise.models.files.AtomicFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one candidate of a sweep as a function of its index alone: candidate {@code k}'s overrides come
 * from the plan, its run goes to {@code candidates/<k>/run}, and its {@link CandidateResult} is committed
 * atomically to {@code candidates/<k>/result.json} when it ends. A complete result whose config
 * fingerprint matches is returned without running anything, so a restarted sweep skips finished
 * candidates and a killed one loses only the candidates in flight. Nothing here depends on the other
 * candidates, which is what lets a cluster scheduler run trials as separate jobs with a merge after.
 */
final class CandidateTrial {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private final SweepPlan plan;
    private final SweepTarget target;
    private final Path base;
    private final List<String> shared;
    private final ObjectiveScore score;
    private final Path directory;
    private final PrintStream log;

    /**
     * @param shared overrides every candidate takes (the sweep's {@code set}, then what {@link SweepTarget#prepare} returned)
     * @param directory the sweep's run directory
     */
    CandidateTrial(SweepPlan plan, SweepTarget target, Path base, List<String> shared, ObjectiveScore score,
            Path directory, PrintStream log) {
        this.plan = plan;
        this.target = target;
        this.base = base;
        this.shared = List.copyOf(shared);
        this.score = score;
        this.directory = directory;
        this.log = log;
    }

    /** The folder of candidate {@code index}. */
    static Path folder(Path sweepDirectory, int index) {
        return sweepDirectory.resolve("candidates").resolve(String.format("%04d", index));
    }

    /** The overrides candidate {@code index} runs with: shared ones, its values, then its own output. */
    List<String> overrides(int index) {
        List<String> overrides = new ArrayList<>(shared);
        overrides.addAll(plan.point(index).overrides());
        overrides.add(SweepConfig.OUTPUT_KEY + "=" + folder(directory, index).resolve("run"));
        return overrides;
    }

    /** The result committed for candidate {@code index}, if any. */
    Optional<CandidateResult> recorded(int index) {
        Path file = folder(directory, index).resolve("result.json");
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), CandidateResult.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " (delete it to run the candidate again): " + e.getMessage(), e);
        }
    }

    /** A recorded complete result that still matches the candidate's config. */
    Optional<CandidateResult> completed(int index, String configSha256) {
        return recorded(index).filter(r -> r.complete() && configSha256.equals(r.configSha256()));
    }

    /** Whether candidate {@code index} has a complete result for its current config. */
    boolean done(int index) {
        return completed(index, currentSha(index)).isPresent();
    }

    /**
     * The recorded result of candidate {@code index} if it belongs to the candidate's current config (a
     * failure before the config resolved has no fingerprint and counts too); a stale result, recorded
     * before the base config changed, does not.
     */
    Optional<CandidateResult> current(int index) {
        String sha = currentSha(index);
        return recorded(index).filter(r -> sha.equals(r.configSha256()) || (!r.complete() && r.configSha256() == null));
    }

    private String currentSha(int index) {
        return sha256(target.resolve(base, overrides(index)));
    }

    /** Runs candidate {@code index}, or returns its recorded result when it already completed with the same config. */
    CandidateResult run(int index) {
        String label = "candidate " + index + "/" + plan.size() + " " + plan.point(index).overrides();
        long start = System.nanoTime();
        List<String> overrides = overrides(index);
        String sha = null;
        CandidateResult result;
        try {
            String resolved = target.resolve(base, overrides);
            sha = sha256(resolved);
            Optional<CandidateResult> done = completed(index, sha);
            if (done.isPresent()) {
                log.println(label + ": completed earlier, objective " + done.get().objective());
                return done.get();
            }
            AtomicFiles.writeString(folder(directory, index).resolve("config.yaml"), resolved);
            log.println(label + ": running");
            Map<String, Double> metrics;
            try (PrintStream candidateLog = CandidateLog.of(log, index)) {
                metrics = target.run(base, overrides, candidateLog);
            }
            double objective = score.of(metrics);
            result = new CandidateResult(index, plan.point(index).values(), CandidateResult.Status.COMPLETE, objective,
                    metrics, seconds(start), null, sha);
            log.printf("%s: objective %.6g in %.1f s%n", label, objective, result.seconds());
        } catch (RuntimeException | LinkageError e) {
            // LinkageError too: a broken classpath (e.g. mixed ND4J versions) must show as this candidate's error
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            AtomicFiles.writeString(folder(directory, index).resolve("error.txt"), trace.toString());
            result = new CandidateResult(index, plan.point(index).values(), CandidateResult.Status.FAILED, null, Map.of(),
                    seconds(start), oneLine(e), sha);
            log.println(label + ": FAILED: " + result.error());
        }
        try {
            AtomicFiles.writeString(folder(directory, index).resolve("result.json"), JSON.writeValueAsString(result) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the result of candidate " + index + ": " + e.getMessage(), e);
        }
        return result;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? "" : ": " + e.getMessage().strip();
        String line = e.getClass().getSimpleName() + message;
        return line.replaceAll("\\s*\\R\\s*", " | ");
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
