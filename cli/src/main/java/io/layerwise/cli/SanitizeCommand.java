package io.layerwise.cli;

import io.layerwise.datasets.config.LoadedConfig;
import io.layerwise.trainers.sanitize.SanitizationStudy;
import io.layerwise.trainers.sanitize.SanitizeConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise sanitize CONFIG.yaml}: the sanitization sweep over a finished train run (directions
 * ablated at the top-n layers for each alpha, readout probe re-scored), plus the cached-projection
 * variant. The run, its store and bundles are checked before the model loads; reruns resume.
 */
@Command(name = "sanitize", mixinStandardHelpOptions = true,
        description = {"Sanitization sweep: ablate harmful directions at the top-n layers (by probe F1) for each alpha",
                "inside the forward pass and score the readout layer with the clean readout probe. Resumable."})
final class SanitizeCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() {
        LoadedConfig<SanitizeConfig> loaded = arguments.load(SanitizeConfig.class);
        SanitizeConfig config = loaded.value();
        if (config.run() == null || config.run().isBlank()) {
            throw loaded.source().error("run", "is required: the directory of a layerwise train run");
        }
        if (config.output() == null || config.output().isBlank()) {
            throw loaded.source().error("output", "is required: the run directory of the sweep");
        }
        if (arguments.dryRun && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(config.run(), "config.resolved.yaml"))) {
            System.out.println("the train run " + config.run() + " is not there yet (run layerwise train first); "
                    + "the sweep checks it, its store and its bundles when it starts");
            arguments.printedDryRun(config);
            return 0;
        }
        SanitizationStudy study = new SanitizationStudy(config, System.err);
        System.out.print(study.describe());
        if (arguments.printedDryRun(config)) {
            return 0;
        }
        SanitizationStudy.Result result = study.run();
        System.out.printf("%d cells; report: %s%n", result.cells().size(), result.report());
        return 0;
    }
}
