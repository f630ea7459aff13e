package io.layerwise.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.bench.MachineInfo;
import io.layerwise.models.bench.SampleSentences;
import io.layerwise.models.runtime.NativeThreads;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerwise bench extract}: extraction throughput and whether memory stays flat as the data set
 * grows. It writes N and {@code factor} x N generated labelled texts, runs {@code layerwise extract} on
 * each in a fresh JVM (so each peak is that run's own), and prints rows/s, tokens/s and the peak resident
 * set size ({@code VmHWM}) of both, with their ratio (target: below 1.2 for a factor of 10).
 */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = "Extraction rows/s, tokens/s and peak RSS for N and factor x N generated texts, each in a fresh JVM.")
final class ExtractBenchCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "Model (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--rows", defaultValue = "2000", description = "Texts in the first run (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(names = "--factor", defaultValue = "10", description = "The second run has factor x rows texts (default: ${DEFAULT-VALUE})")
    int factor;

    @Option(names = "--pooling", defaultValue = "mean", description = "Pooling (default: ${DEFAULT-VALUE})")
    String pooling;

    @Option(names = "--work-dir", description = "Where to write the texts and stores (default: a temporary directory, deleted after)")
    Path workDir;

    @Override
    public Integer call() throws IOException, InterruptedException {
        if (rows < 1 || factor < 1) {
            throw new UserInputException("--rows and --factor must be at least 1");
        }
        boolean temporary = workDir == null;
        Path dir = temporary ? Files.createTempDirectory("layerwise-bench-extract") : Files.createDirectories(workDir);
        try {
            System.out.printf("machine: %s; %d native threads%n", MachineInfo.current(), NativeThreads.requested());
            JsonNode small = runChild(dir, rows);
            JsonNode large = runChild(dir, rows * factor);
            double ratio = large.get("peak_rss_bytes").asDouble() / small.get("peak_rss_bytes").asDouble();
            System.out.printf("peak RSS %d rows / %d rows: %.2fx (target < 1.2x)%n", rows * factor, rows, ratio);
            return 0;
        } finally {
            if (temporary) {
                deleteTree(dir);
            }
        }
    }

    /** Extracts {@code n} generated texts in a child JVM and prints its figures. */
    private JsonNode runChild(Path dir, int n) throws IOException, InterruptedException {
        Path data = dir.resolve("texts-" + n + ".jsonl");
        writeTexts(data, n);
        Path config = dir.resolve("extract-" + n + ".yaml");
        Path stats = dir.resolve("stats-" + n + ".json");
        // a store left by an earlier run in --work-dir would be reported complete, not measured
        Path store = dir.resolve("store-" + n);
        if (Files.exists(store)) {
            deleteTree(store);
        }
        Files.deleteIfExists(stats);
        Files.writeString(config, String.join("\n",
                "model: " + model,
                "dataset: {path: '" + data + "', format: jsonl}",
                "taps: [residual]",
                "layers: all",
                "pooling: " + pooling,
                "max_length: 128",
                "batch_size: 32",
                "output: '" + store + "'", ""));
        // this JVM's own options (those bin/layerwise gives, -Xmn48m and LAYERWISE_JAVA_OPTS included),
        // so the figures are what users get
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of("-Dai.djl.offline=true", "-Dlayerwise.threads=" + NativeThreads.requested(),
                "-cp", System.getProperty("java.class.path"), Layerwise.class.getName(),
                "extract", config.toString(), "--stats", stats.toString()));
        Process child = new ProcessBuilder(command).redirectOutput(dir.resolve("extract-" + n + ".log").toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        if (child.waitFor() != 0) {
            throw new UserInputException("the extraction of " + n + " texts failed (exit " + child.exitValue() + "); see "
                    + dir.resolve("extract-" + n + ".log"));
        }
        JsonNode figures = new ObjectMapper().readTree(stats.toFile());
        System.out.printf("%,7d texts: %,d tokens in %.1f s: %.1f rows/s, %,.0f tokens/s; model load %.1f s; peak RSS %,d MiB%n",
                n, figures.get("tokens_computed").asLong(), figures.get("extract_seconds").asDouble(),
                figures.get("examples_per_second").asDouble(), figures.get("tokens_per_second").asDouble(),
                figures.get("load_seconds").asDouble(), figures.get("peak_rss_bytes").asLong() >> 20);
        return figures;
    }

    /**
     * Writes {@code n} labelled texts of 5 to 60 words, made from the bundled sample sentences, as JSONL:
     * deterministic, so runs compare, and varied in length, so bucketing matters as it does on real data.
     */
    private static void writeTexts(Path file, int n) throws IOException {
        List<String> sentences = SampleSentences.all();
        ObjectMapper json = new ObjectMapper();
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            for (int i = 0; i < n; i++) {
                int targetWords = 5 + (i * 13) % 56;
                StringBuilder text = new StringBuilder();
                int words = 0;
                for (int j = i; words < targetWords; j += 7) {
                    String s = sentences.get(j % sentences.size());
                    text.append(text.length() == 0 ? "" : " ").append(s);
                    words += s.split(" ").length;
                }
                ObjectNode row = json.createObjectNode().put("text", text.toString()).put("label", i % 2);
                out.write(json.writeValueAsString(row));
                out.newLine();
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
