package io.layerwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.layerwise.datasets.DatasetException;
import io.layerwise.models.bench.ProcessMemory;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.ExtractionJob;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.ExtractionStats;
import io.layerwise.datasets.extract.ProgressMeter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code layerwise extract CONFIG.yaml [-s key=value ...] [--dry-run]}: runs a model over a labelled data
 * set and writes the activations of the chosen taps and layers to an activation store. The config is
 * checked and the whole job planned before the model loads; {@code --dry-run} prints that plan and stops.
 * Running the same command again after an interruption resumes at the first missing shard.
 */
@Command(name = "extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Extract pooled (or per-token) activations of a model over a data set into an activation store.",
                "Resumable: run the same command again after an interruption."})
final class ExtractCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Option(names = "--stats", paramLabel = "FILE",
            description = "Also write this run's figures (examples, tokens, seconds, rates, peak RSS) as JSON")
    Path stats;

    @Override
    public Integer call() {
        ExtractionPlan plan = ExtractionPlan.create(arguments.load(ExtractionConfig.class));
        System.out.print(plan.describe());
        if (arguments.dryRun) {
            return 0;
        }
        ExtractionStats result = extract(plan);
        if (result == null) {
            return 0;
        }
        long peakRss = ProcessMemory.peakRssBytes();
        System.out.printf("extracted %,d examples (%,d tokens) in %.1f s: %.1f examples/s, %,.0f tokens/s "
                        + "(model load %.1f s; %d shard(s) written, %d resumed); peak RSS %s -> %s%n",
                result.examplesComputed(), result.tokensComputed(), result.extractSeconds(), result.examplesPerSecond(),
                result.tokensPerSecond(), result.loadSeconds(), result.shardsComputed(), result.shardsReused(),
                peakRss < 0 ? "unknown" : String.format("%,d MiB", peakRss >> 20), plan.output());
        if (stats != null) {
            writeStats(result, peakRss);
        }
        return 0;
    }

    /**
     * Runs a planned extraction with progress on stderr, or says the store is complete and returns null;
     * {@code train} with an {@code extract} block uses it too.
     */
    static ExtractionStats extract(ExtractionPlan plan) {
        if (plan.existingStore() != null && plan.existingStore().complete()) {
            System.out.println(plan.output() + " is already complete; nothing to do");
            return null;
        }
        // Not a terminal (CI, a pipe, a file): plain lines every 10 s instead of a bar redrawn in place.
        boolean terminal = System.console() != null;
        return new ExtractionJob(plan, new ProgressMeter(System.err, terminal, Duration.ofSeconds(10))).run();
    }

    private void writeStats(ExtractionStats result, long peakRss) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("examples", result.examples());
        figures.put("rows", result.rows());
        figures.put("examples_computed", result.examplesComputed());
        figures.put("tokens_computed", result.tokensComputed());
        figures.put("load_seconds", result.loadSeconds());
        figures.put("extract_seconds", result.extractSeconds());
        figures.put("examples_per_second", result.examplesPerSecond());
        figures.put("tokens_per_second", result.tokensPerSecond());
        figures.put("peak_rss_bytes", peakRss);
        try {
            Files.writeString(stats, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(figures));
        } catch (IOException e) {
            throw new DatasetException("cannot write --stats " + stats + ": " + e.getMessage(), e);
        }
    }
}
