package io.layerwise.cli;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.Workload;
import io.layerwise.trainers.directions.RefusalDirectionConfig;
import io.layerwise.trainers.directions.RefusalDirectionStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise refusal-direction CONFIG.yaml}: fit harmful-minus-benign directions, ablate them at
 * the best-separating layers with several strengths, and measure refusal rates on held-out prompts.
 */
@Command(name = "refusal-direction", mixinStandardHelpOptions = true,
        description = {"Refusal-direction study: difference-of-means directions ablated at the top-n layers for each alpha;",
                "refusal rates on held-out harmful and benign prompts. Resumable."})
final class RefusalDirectionCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() {
        RefusalDirectionConfig config = arguments.load(RefusalDirectionConfig.class).value();
        if (arguments.printedDryRun(config)) {
            return 0;
        }
        Workload workload = Workload.generation(config.batchSize(), 512, config.maxNewTokens());
        try (FrozenTransformer model = ModelLoader.load(config.model(), config.precision(), workload)) {
            System.out.print(RefusalDirectionStudy.run(config, model, System.err).toMarkdown());
        }
        return 0;
    }
}
