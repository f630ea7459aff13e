package io.layerwise.cli;

import io.layerwise.models.bench.PrunedGenerationThroughput;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerwise bench prune}: greedy generation tokens/s of channel-pruned models (heads and MLP
 * channels removed as smaller matrices) against the dense model, beside their FLOPs per token, in one run.
 */
@Command(name = "prune", mixinStandardHelpOptions = true,
        description = "Generation tokens/s of channel-pruned vs dense models, with the FLOPs reduction, measured in one run.")
final class PruneBenchCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "Decoder model directory (e.g. ../shared/fixtures/llama-bench)")
    String model;

    @Option(names = "--ratios", split = ",", defaultValue = "0.15,0.3,0.5",
            description = "Shares of heads and MLP channels removed per block (default: ${DEFAULT-VALUE})")
    List<Double> ratios;

    @Option(names = "--batch", defaultValue = "4", description = "Prompts decoded together (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--prompt-tokens", defaultValue = "64", description = "Tokens per prompt (default: ${DEFAULT-VALUE})")
    int promptTokens;

    @Option(names = "--new-tokens", defaultValue = "64", description = "Tokens generated per prompt (default: ${DEFAULT-VALUE})")
    int newTokens;

    @Option(names = "--rounds", defaultValue = "5", description = "Interleaved timed rounds per model; the best counts (default: ${DEFAULT-VALUE})")
    int rounds;

    @Override
    public Integer call() {
        if (batch < 1 || promptTokens < 1 || newTokens < 1 || rounds < 1) {
            throw new UserInputException("--batch, --prompt-tokens, --new-tokens and --rounds must be >= 1");
        }
        if (ratios.stream().anyMatch(r -> r < 0 || r >= 1)) {
            throw new UserInputException("--ratios must be in [0, 1), got " + ratios);
        }
        try (FrozenTransformer loaded = ModelLoader.load(model)) {
            PrunedGenerationThroughput.Result r = new PrunedGenerationThroughput(batch, promptTokens, newTokens, rounds)
                    .run(loaded, ratios, System.out);
            System.out.printf("machine: %s%n", r.machine());
            PrunedGenerationThroughput.Row dense = r.rows().get(0);
            System.out.println("| prune ratio | new tokens/s | speed-up vs dense | GFLOPs/token | FLOPs vs dense |");
            System.out.println("|---|---|---|---|---|");
            for (PrunedGenerationThroughput.Row row : r.rows()) {
                System.out.printf("| %.2f | %.1f | %.2fx | %.5f | %.3f |%n", row.ratio(), row.tokensPerSecond(),
                        row.tokensPerSecond() / dense.tokensPerSecond(), row.flopsPerToken() / 1e9,
                        row.flopsPerToken() / dense.flopsPerToken());
            }
        }
        return 0;
    }
}
