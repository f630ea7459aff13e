package io.layerwise.cli;

import io.layerwise.models.bench.EncoderThroughput;
import io.layerwise.models.bench.GenerationThroughput;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerwise bench}: speed benchmarks that print a ratio against a baseline measured in the
 * same run, with the machine they ran on. Figures go to {@code docs/benchmarks.md}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks against a peer measured in the same run.",
        subcommands = {BenchCommand.Encoder.class, BenchCommand.Generation.class, ExtractBenchCommand.class,
            PrecisionBenchCommand.class, PruneBenchCommand.class})
final class BenchCommand {

    /** Encoder forward throughput against ONNX Runtime. */
    @Command(name = "encoder", mixinStandardHelpOptions = true,
            description = "Bundled encoder forward (all hidden states) vs ONNX Runtime on the same inputs: tokens/s and ratio.")
    static final class Encoder implements Callable<Integer> {
        @Option(names = "--model", defaultValue = "all-minilm-l6-v2", description = "Bundled encoder (default: ${DEFAULT-VALUE})")
        String model;

        @Option(names = "--batch", defaultValue = "32", description = "Sequences per batch (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--tokens", defaultValue = "128", description = "Tokens per sequence (default: ${DEFAULT-VALUE})")
        int tokens;

        @Option(names = "--iterations", defaultValue = "5", description = "Timed runs per engine (default: ${DEFAULT-VALUE})")
        int iterations;

        @Override
        public Integer call() {
            if (batch < 1 || tokens < 8 || iterations < 1) {
                throw new UserInputException("--batch and --iterations must be >= 1 and --tokens >= 8");
            }
            EncoderThroughput.Result r = new EncoderThroughput(model, batch, tokens, iterations).run(System.out);
            System.out.printf("machine: %s%n", r.machine());
            System.out.printf("layerwise (DJL/PyTorch): %.0f tokens/s%n", r.layerwiseTokensPerSecond());
            System.out.printf("onnxruntime:             %.0f tokens/s%n", r.onnxRuntimeTokensPerSecond());
            System.out.printf("ratio layerwise/onnxruntime: %.2fx (target >= 1.0x)%n", r.ratio());
            return 0;
        }
    }

    /** Greedy generation with the KV cache against re-running the sequence. */
    @Command(name = "generate", mixinStandardHelpOptions = true,
            description = "Greedy generation tokens/s with the KV cache vs re-running the whole sequence each step.")
    static final class Generation implements Callable<Integer> {
        @Option(names = "--model", required = true, description = "Decoder model directory (e.g. ../shared/fixtures/llama-bench)")
        String model;

        @Option(names = "--batch", defaultValue = "4", description = "Prompts decoded together (default: ${DEFAULT-VALUE})")
        int batch;

        @Option(names = "--prompt-tokens", defaultValue = "64", description = "Tokens per prompt (default: ${DEFAULT-VALUE})")
        int promptTokens;

        @Option(names = "--new-tokens", defaultValue = "64", description = "Tokens generated per prompt (default: ${DEFAULT-VALUE})")
        int newTokens;

        @Override
        public Integer call() {
            if (batch < 1 || promptTokens < 1 || newTokens < 1) {
                throw new UserInputException("--batch, --prompt-tokens and --new-tokens must be >= 1");
            }
            try (FrozenTransformer loaded = ModelLoader.load(model)) {
                GenerationThroughput.Result r = new GenerationThroughput(batch, promptTokens, newTokens).run(loaded, System.out);
                System.out.printf("machine: %s%n", r.machine());
                System.out.printf("with KV cache:    %.1f new tokens/s%n", r.cachedTokensPerSecond());
                System.out.printf("without KV cache: %.1f new tokens/s%n", r.uncachedTokensPerSecond());
                System.out.printf("speed-up of the cache: %.2fx%n", r.speedup());
            }
            return 0;
        }
    }
}
