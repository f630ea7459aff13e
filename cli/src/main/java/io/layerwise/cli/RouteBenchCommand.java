package io.layerwise.cli;

import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.models.bench.MachineInfo;
import io.layerwise.models.files.AtomicFiles;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.trainers.router.RouteConfig;
import io.layerwise.trainers.router.RouteStudy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerwise bench route}: a whole route run on a model directory (by default the larger Llama
 * fixture), printing router training tokens/s and the evaluation table with the machine. A model
 * without {@code tokenizer.json} gets a copy of its directory with a byte-level one
 * ({@link ByteLevelTokenizer}), so its vocabulary must have at least 256 ids.
 */
@Command(name = "route", mixinStandardHelpOptions = true,
        description = "Router training tokens/s and the routed/static/random evaluation of a whole route run.")
final class RouteBenchCommand implements Callable<Integer> {
    @Option(names = "--model", defaultValue = "../shared/fixtures/llama-bench",
            description = "Decoder model directory (default: ${DEFAULT-VALUE})")
    Path model;

    @Option(names = "--texts", defaultValue = "data/testbed/general-dev.jsonl",
            description = "JSONL texts with a text field (default: ${DEFAULT-VALUE})")
    Path texts;

    @Option(names = "--token-budget", defaultValue = "20000", description = "Training tokens (default: ${DEFAULT-VALUE})")
    int tokenBudget;

    @Option(names = "--epochs", defaultValue = "10", description = "Router training epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--mmlu", description = "MMLU CSV (needs single-token answer letters: not with a byte-level tokenizer)")
    Path mmlu;

    @Option(names = "--output", defaultValue = "runs/bench-route", description = "Work and run directory (default: ${DEFAULT-VALUE})")
    Path output;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(model.resolve("config.json"))) {
            throw new UserInputException(model + " is not a model directory (no config.json)");
        }
        Path modelDir = withTokenizer();
        Path configFile = output.resolve("route.yaml");
        AtomicFiles.writeString(configFile, "model: \"" + modelDir + "\"\n"
                + "dataset: {path: \"" + texts + "\", format: jsonl, label_field: none}\n"
                + "token_budget: " + tokenBudget + "\n"
                + "epochs: " + epochs + "\n"
                + (mmlu == null ? "" : "mmlu: \"" + mmlu + "\"\n")
                + "output: \"" + output.resolve("run") + "\"\n");
        RouteConfig config = ConfigLoader.load(configFile, List.of(), RouteConfig.class).value();
        try (FrozenTransformer loaded = ModelLoader.load(modelDir.toString())) {
            RouteStudy.Outcome outcome = RouteStudy.run(config, loaded, System.err);
            System.out.printf("machine: %s%n", MachineInfo.current());
            System.out.printf("model: %s, %d training tokens, %d epochs%n", model, outcome.metrics().get("training_tokens").asLong(),
                    epochs);
            System.out.printf("router training: %.0f tokens/s (token-epochs per second of optimization steps)%n",
                    outcome.metrics().get("router_training_tokens_per_second").asDouble());
            System.out.print(outcome.routersTable().toMarkdown());
            System.out.println();
            System.out.print(outcome.evaluation().toMarkdown());
        }
        return 0;
    }

    /** The model directory, or a copy of it (weights linked) with a byte-level tokenizer when it has none. */
    private Path withTokenizer() {
        if (Files.isRegularFile(model.resolve("tokenizer.json"))) {
            return model;
        }
        Path copy = output.resolve("model").toAbsolutePath();
        try {
            Files.createDirectories(copy);
            try (var files = Files.list(model)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    String name = f.getFileName().toString();
                    if (name.equals("config.json") || name.startsWith("model") && name.endsWith(".safetensors")
                            || name.equals("model.safetensors.index.json")) {
                        Path link = copy.resolve(name);
                        Files.deleteIfExists(link);
                        Files.createSymbolicLink(link, f.toAbsolutePath());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteLevelTokenizer.write(copy.resolve("tokenizer.json"));
        return copy;
    }
}
