package io.layerwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.trainers.eval.EvalConfig;
import io.layerwise.trainers.eval.EvalRun;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise eval CONFIG.yaml}: one evaluation (multiple choice, word problems, perplexity or
 * refusal rate) of a model into a run directory, resumable item by item.
 */
@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a model: mmlu, gsm8k, perplexity or refusal; writes metrics.json, predictions.jsonl and report.html.",
                "Resumable: run the same command again after an interruption."})
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() throws Exception {
        EvalConfig config = arguments.load(EvalConfig.class).value();
        if (arguments.printedDryRun(config)) {
            return 0;
        }
        String resolved = ConfigLoader.toYaml(config);
        try (FrozenTransformer model = ModelLoader.load(config.model(), config.precision(), config.workload())) {
            ObjectNode metrics = EvalRun.run(config, resolved, model, System.err);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(metrics));
            System.out.println("report: " + Path.of(config.output()).resolve("report.html"));
        }
        return 0;
    }
}
