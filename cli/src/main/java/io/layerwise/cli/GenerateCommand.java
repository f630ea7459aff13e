package io.layerwise.cli;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.GreedyDecoder;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.TokenBatch;
import io.layerwise.models.runtime.Workload;
import io.layerwise.models.weights.SafetensorsWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code layerwise generate}: greedy decoding from one prompt, with the KV cache unless
 * {@code --no-cache}; prints the new token ids (and their text when the model has a tokenizer) and
 * optionally writes them as int64 {@code new_tokens} to a safetensors file.
 */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Greedy decoding from a prompt; prints the new token ids and text.")
final class GenerateCommand implements Callable<Integer> {
    @Mixin
    ModelInput modelInput;

    @Option(names = "--max-new-tokens", required = true, description = "Tokens to generate")
    int maxNewTokens;

    @Option(names = "--no-cache", description = "Re-run the whole sequence at every step instead of using the KV cache")
    boolean noCache;

    @Option(names = "--out", description = "Also write the new tokens as int64 'new_tokens' to this .safetensors file")
    Path out;

    @Mixin
    PrecisionOption precisionOption;

    @Override
    public Integer call() {
        if (maxNewTokens < 1) {
            throw new UserInputException("--max-new-tokens must be at least 1, got " + maxNewTokens);
        }
        Workload workload = Workload.generation(1, modelInput.maxTokens(), maxNewTokens);
        try (FrozenTransformer model = ModelLoader.load(modelInput.model, precisionOption.precision, workload)) {
            TokenBatch prompt = modelInput.batch(model);
            long[] tokens = new GreedyDecoder(model, Interventions.none(), !noCache)
                    .generate(List.of(prompt.tokens(0)), maxNewTokens, Set.of()).get(0);
            System.out.println(Arrays.stream(tokens).mapToObj(Long::toString).collect(Collectors.joining(",")));
            model.tokenizer().ifPresent(t -> System.out.println(t.decode(tokens)));
            if (out != null) {
                new SafetensorsWriter().putInt64("new_tokens", new long[] {tokens.length}, tokens)
                        .metadata("model", model.id()).metadata("precision", model.precision().label()).write(out);
            }
        }
        return 0;
    }
}
