package io.layerwise.cli;

import io.layerwise.datasets.config.LoadedConfig;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.trainers.probes.ProbeStudy;
import io.layerwise.trainers.probes.TrainConfig;
import io.layerwise.trainers.sanitize.SanitizationStudy;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise train CONFIG.yaml}: per-layer MLP and logistic probes (and the harmful directions)
 * on an activation store, extracting it first when the config has an {@code extract} block, and
 * running the sanitization sweep on them afterwards when it has a {@code sanitize} block. Everything
 * is checked before any heavy work: the config, the extraction plan or the existing store.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train per-layer MLP and logistic-regression probes on an activation store (extracting it first",
                "when the config has an extract block); tables, plots, directions and a report in the run directory."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() {
        LoadedConfig<TrainConfig> loaded = arguments.load(TrainConfig.class);
        TrainConfig config = loaded.value();
        ExtractionPlan plan = config.extract() == null ? null
                : ExtractionPlan.create(new LoadedConfig<>(config.extract(), loaded.source().nested("extract")));
        if (plan == null && !StoreManifest.exists(Path.of(config.store()))) {
            throw loaded.source().error("store", "no activation store at " + config.store()
                    + " (run layerwise extract first, or give an extract block instead)");
        }
        if (plan != null) {
            System.out.print(plan.describe());
        }
        if (arguments.printedDryRun(config)) {
            return 0;
        }
        if (plan != null) {
            ExtractCommand.extract(plan);
        }
        ProbeStudy.Result result = ProbeStudy.run(config, System.err);
        System.out.printf("trained %d probes; report: %s%n", result.probes().size(), result.report());
        if (config.sanitize() != null) {
            SanitizationStudy sweep = new SanitizationStudy(config.sanitize().onRun(config.output()), System.err);
            System.out.print(sweep.describe());
            SanitizationStudy.Result swept = sweep.run();
            System.out.printf("sanitization sweep: %d cells; report: %s%n", swept.cells().size(), swept.report());
        }
        return 0;
    }
}
