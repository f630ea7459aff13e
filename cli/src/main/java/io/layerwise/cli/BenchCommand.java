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
            PrecisionBenchCommand.class, BenchCommand.Probes.class, RouteBenchCommand.class, PruneBenchCommand.class})
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

    /** Logistic probes against scikit-learn on the same cached activations. */
    @Command(name = "probes", mixinStandardHelpOptions = true,
            description = "Logistic probes vs scikit-learn's LogisticRegression on the same store, per layer: accuracy and time.")
    static final class Probes implements Callable<Integer> {
        @Option(names = "--store", required = true, description = "An activation store with a residual tap")
        java.nio.file.Path store;

        @Option(names = "--l2", defaultValue = "1e-3", description = "L2 coefficient (C = 1 / (l2 n)) (default: ${DEFAULT-VALUE})")
        double l2;

        @Option(names = "--repeats", defaultValue = "3", description = "Timed fits per layer and side; the best counts (default: ${DEFAULT-VALUE})")
        int repeats;

        @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with scikit-learn (default: ${DEFAULT-VALUE})")
        String python;

        @Override
        public Integer call() {
            if (repeats < 1 || !(l2 > 0)) {
                throw new UserInputException("--repeats must be >= 1 and --l2 > 0");
            }
            io.layerwise.trainers.probes.LogisticPeerBenchmark.Result r = io.layerwise.trainers.probes.LogisticPeerBenchmark
                    .run(io.layerwise.datasets.store.ActivationStore.open(store), l2, repeats, python);
            System.out.printf("machine: %s%n", r.machine());
            System.out.println("| layer | accuracy layerwise | accuracy sklearn | difference (points) | ms layerwise | ms sklearn | time ratio |");
            System.out.println("|---|---|---|---|---|---|---|");
            for (var l : r.layers()) {
                System.out.printf("| %d | %.4f | %.4f | %+.2f | %.1f | %.1f | %.2fx |%n", l.layer(), l.accuracy(), l.sklearnAccuracy(),
                        l.accuracyPoints(), 1000 * l.seconds(), 1000 * l.sklearnSeconds(), l.timeRatio());
            }
            System.out.printf("worst accuracy difference: %.2f points (target <= 0.5); total time ratio layerwise/sklearn: %.2fx (target <= 1.0x)%n",
                    r.worstAccuracyPoints(), r.totalTimeRatio());
            return 0;
        }
    }
}
