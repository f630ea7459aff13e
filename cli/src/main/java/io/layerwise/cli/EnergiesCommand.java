package io.layerwise.cli;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.Workload;
import io.layerwise.trainers.pruning.EnergiesConfig;
import io.layerwise.trainers.pruning.EnergiesStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise energies CONFIG.yaml}: per-channel energy histories (o_proj and down_proj inputs) of
 * the prunable blocks over general text, benign and harmful prompts, for {@code layerwise aapp}.
 */
@Command(name = "energies", mixinStandardHelpOptions = true,
        description = {"Per-channel energy histories (mean squared o_proj / down_proj inputs, padding excluded) over",
                "general text, benign and harmful prompts, with provenance. Resumable set by set."})
final class EnergiesCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() {
        EnergiesConfig config = arguments.load(EnergiesConfig.class).value();
        if (arguments.printedDryRun(config)) {
            return 0;
        }
        Workload workload = Workload.forward(config.batchSize(), config.maxLength(),
                Taps.of(TapKind.HEAD_OUTPUTS, TapKind.MLP_CHANNELS));
        try (FrozenTransformer model = ModelLoader.load(config.model(), config.precision(), workload)) {
            System.out.println(EnergiesStudy.run(config, model, System.err).manifest().toPrettyString());
        }
        return 0;
    }
}
