package io.layerwise.cli;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.trainers.eval.PruneConfig;
import io.layerwise.trainers.eval.StaticPruningStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise prune CONFIG.yaml}: a static pruning study (every layer removed in turn, or magnitude
 * pruning at several percentages) evaluated on one task, with the dense model as the Zeroshot row.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = {"Static pruning study: layer removal or magnitude pruning, evaluated with one task.",
                "Writes tables/<study>.csv|md, plots and report.html; resumable."})
final class PruneCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() {
        PruneConfig config = arguments.load(PruneConfig.class).value();
        if (arguments.printedDryRun(config)) {
            return 0;
        }
        try (FrozenTransformer model = ModelLoader.load(config.model(), config.evaluation().precision(), config.evaluation().workload())) {
            System.out.print(StaticPruningStudy.run(config, model, System.err).toMarkdown());
        }
        return 0;
    }
}
