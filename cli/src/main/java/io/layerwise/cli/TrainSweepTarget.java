package io.layerwise.cli;

import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.config.LoadedConfig;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.trainers.probes.ProbeStudy;
import io.layerwise.trainers.probes.TrainConfig;
import io.layerwise.trainers.sweep.RunMetrics;
import io.layerwise.trainers.sweep.SweepTarget;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sweeps of {@code layerwise train} configs: each candidate trains the probes with its values and
 * reports every number of its {@code metrics.json} ({@code validation.mlp.f1.6},
 * {@code validation.logistic.auroc.mean}, ...). The activation store is shared, never re-extracted: a
 * base config with an {@code extract} block is extracted once before the first candidate (a complete
 * store is reused, a partial one resumed), and every candidate then reads that store.
 */
final class TrainSweepTarget implements SweepTarget {

    /**
     * @param fields the swept config paths; the extraction's own settings cannot be among them, since every
     *     candidate reads the one shared store (the sweep's {@code set} may change them: that is the shared store)
     */
    TrainSweepTarget(Set<String> fields) {
        for (String field : fields) {
            if (field.equals("extract") || field.startsWith("extract.") || field.equals("store")) {
                throw new UserInputException("a train sweep cannot vary '" + field + "': every candidate reads one "
                        + "activation store; sweep extraction settings with one sweep per store");
            }
        }
    }

    @Override
    public String resolve(Path base, List<String> overrides) {
        LoadedConfig<TrainConfig> loaded = ConfigLoader.load(base, overrides, TrainConfig.class);
        TrainConfig config = loaded.value();
        if (config.sanitize() != null) {
            throw loaded.source().error("sanitize", "a train sweep trains probes only: add sanitize: null to the sweep's "
                    + "set, and sweep sanitize on a train run separately (command: sanitize)");
        }
        if (config.extract() == null && !StoreManifest.exists(Path.of(config.store()))) {
            throw loaded.source().error("store", "no activation store at " + config.store()
                    + " (run layerwise extract first, or give an extract block instead)");
        }
        return ConfigLoader.toYaml(config);
    }

    @Override
    public List<String> prepare(Path base, List<String> overrides, Path sharedDirectory, PrintStream log) {
        LoadedConfig<TrainConfig> loaded = ConfigLoader.load(base, overrides, TrainConfig.class);
        if (loaded.value().extract() == null) {
            return List.of();
        }
        ExtractionPlan plan = ExtractionPlan.create(new LoadedConfig<>(loaded.value().extract(), loaded.source().nested("extract")));
        log.print(plan.describe());
        ExtractCommand.extract(plan);
        // every candidate reads the store; none extracts (an empty value is YAML null: no extract block)
        return List.of("extract=", "store=" + plan.output());
    }

    @Override
    public Map<String, Double> run(Path base, List<String> overrides, PrintStream log) {
        TrainConfig config = ConfigLoader.load(base, overrides, TrainConfig.class).value();
        ProbeStudy.run(config, log);
        return RunMetrics.read(Path.of(config.output()));
    }
}
