package io.layerwise.cli;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.Workload;
import io.layerwise.trainers.pruning.AappConfig;
import io.layerwise.trainers.pruning.AappStudy;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise aapp CONFIG.yaml}: alignment-aware probe pruning against plain probe pruning and
 * random pruning, refusal rates and FLOPs per token on held-out prompts.
 */
@Command(name = "aapp", mixinStandardHelpOptions = true,
        description = {"Alignment-aware probe pruning vs probe pruning vs random pruning at each prune ratio:",
                "refusal rate, F1, accuracy, false-acceptance rate and GFLOPs/token on held-out prompts. Resumable."})
final class AappCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() {
        AappConfig config = arguments.load(AappConfig.class).value();
        if (arguments.printedDryRun(config)) {
            return 0;
        }
        Workload workload = Workload.generation(config.batchSize(), 512, config.maxNewTokens());
        try (FrozenTransformer model = ModelLoader.load(config.model(), config.precision(), workload)) {
            System.out.print(AappStudy.run(config, model, System.err).toMarkdown());
        }
        return 0;
    }
}
