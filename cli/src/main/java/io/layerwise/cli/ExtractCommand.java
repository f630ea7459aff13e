package io.layerwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.layerwise.datasets.DatasetException;
import io.layerwise.models.bench.ProcessMemory;
import io.layerwise.datasets.extract.ExecutionConfig;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.ExtractionEngine;
import io.layerwise.datasets.extract.ExtractionJob;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.ExtractionStats;
import io.layerwise.datasets.extract.ExtractionPlan.ShardPlan;
import io.layerwise.datasets.extract.ProgressMeter;
import io.layerwise.datasets.extract.ShardSlice;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code layerwise extract CONFIG.yaml [-s key=value ...] [--dry-run] [--shard i/N | --merge]}: runs a
 * model over a labelled data set and writes the activations of the chosen taps and layers to an
 * activation store. The config is checked and the whole job planned before the model loads;
 * {@code --dry-run} prints that plan and stops. Running the same command again after an interruption
 * computes only the missing shards. For a cluster scheduler, {@code --shard i/N} computes worker i's
 * slice of the shards (a Slurm array or Kubernetes indexed Job runs N of them) and {@code --merge}
 * completes the store once all are done; {@code execution.engine: spark} hands the shards to Spark.
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

    @Option(names = "--shard", paramLabel = "i/N",
            description = {"Compute only worker i's slice of the shards (0 <= i < N), without completing the store:",
                "what a Slurm job array or Kubernetes indexed Job runs; then run --merge once"})
    String shard;

    @Option(names = "--merge", description = "Complete a store whose shards were computed by --shard workers; "
            + "refuses, naming them, while any shard is missing")
    boolean merge;

    @Override
    public Integer call() {
        if (shard != null && merge) {
            throw new UserInputException("--shard and --merge are separate steps: run every --shard i/N, then --merge once");
        }
        ShardSlice slice = shard == null ? null : slice(shard);
        ExtractionPlan plan = ExtractionPlan.create(arguments.load(ExtractionConfig.class));
        System.out.print(plan.describe());
        if (slice != null) {
            System.out.println(describe(slice, slice.select(plan.shards())));
        }
        if (arguments.dryRun) {
            return 0;
        }
        if (merge && !complete(plan)) {
            ExtractionJob.merge(plan);
            System.out.printf("merged %d shards: %s is complete%n", plan.shards().size(), plan.output());
        }
        ExtractionStats result = merge ? null : extract(plan, slice);
        if (result == null) {
            return 0;
        }
        long peakRss = ProcessMemory.peakRssBytes();
        System.out.printf("extracted %,d examples (%,d tokens) in %.1f s: %.1f examples/s, %,.0f tokens/s "
                        + "(model load %.1f s; %d shard(s) written, %d resumed); peak RSS %s -> %s%n",
                result.examplesComputed(), result.tokensComputed(), result.extractSeconds(), result.examplesPerSecond(),
                result.tokensPerSecond(), result.loadSeconds(), result.shardsComputed(), result.shardsReused(),
                peakRss < 0 ? "unknown" : String.format("%,d MiB", peakRss >> 20), plan.output());
        if (slice != null) {
            System.out.printf("worker %s done; run --merge once every worker is%n", slice);
        }
        if (stats != null) {
            writeStats(result, peakRss);
        }
        return 0;
    }

    /**
     * Runs a planned extraction with progress on stderr, on the engine its config names, or says the
     * store is complete and returns null; {@code train} with an {@code extract} block uses it too.
     */
    static ExtractionStats extract(ExtractionPlan plan) {
        return extract(plan, null);
    }

    /** {@link #extract(ExtractionPlan)}, or with a slice only that worker's shards, in this process. */
    private static ExtractionStats extract(ExtractionPlan plan, ShardSlice slice) {
        if (complete(plan)) {
            return null;
        }
        // Not a terminal (CI, a pipe, a file): plain lines every 10 s instead of a bar redrawn in place.
        boolean terminal = System.console() != null;
        ProgressMeter meter = new ProgressMeter(System.err, terminal, Duration.ofSeconds(10));
        if (slice != null) {
            return new ExtractionJob(plan, meter).run(slice);
        }
        if (plan.config().execution().engine() == ExecutionConfig.Engine.LOCAL) {
            return new ExtractionJob(plan, meter).run();
        }
        return engine(plan.config().execution().engine()).run(plan, meter);
    }

    /** Whether the store is complete already, which is then said. */
    private static boolean complete(ExtractionPlan plan) {
        if (plan.existingStore() != null && plan.existingStore().complete()) {
            System.out.println(plan.output() + " is already complete; nothing to do");
            return true;
        }
        return false;
    }

    private static ShardSlice slice(String text) {
        try {
            return ShardSlice.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--shard " + e.getMessage());
        }
    }

    private static String describe(ShardSlice slice, List<ShardPlan> shards) {
        if (shards.isEmpty()) {
            return String.format("  %-9s %s: no shards (more workers than shards)", "worker", slice);
        }
        ShardPlan first = shards.get(0);
        ShardPlan last = shards.get(shards.size() - 1);
        return String.format("  %-9s %s: shards %d-%d (texts %,d-%,d)", "worker", slice, first.index(), last.index(),
                first.firstExample(), last.firstExample() + last.examples() - 1);
    }

    private static ExtractionEngine engine(ExecutionConfig.Engine name) {
        return ExtractionEngine.find(name).orElseThrow(() -> new UserInputException("execution.engine: "
                + name.configName() + " needs the layerwise-" + name.configName() + " module and its jars on the classpath: "
                + "build it (mvn -pl " + name.configName() + " -am package -DskipTests) and run bin/layerwise, which adds"
                + " them, or submit with spark-submit (README, \"Past one machine\")"));
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
