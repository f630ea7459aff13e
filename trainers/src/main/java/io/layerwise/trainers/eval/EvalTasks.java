package io.layerwise.trainers.eval;

import io.layerwise.datasets.BadRowPolicy;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.Gsm8kReader;
import io.layerwise.datasets.LabelledTextReader;
import io.layerwise.datasets.LabelledTextSpec;
import io.layerwise.datasets.MmluReader;
import io.layerwise.datasets.MultipleChoiceItem;
import io.layerwise.datasets.TextFileFormat;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.tokenizer.ChatTemplate;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link EvalTask} an {@link EvalConfig} describes for a loaded model (and interventions, for
 * the pruning studies): reads the dataset in its real format and sets up the prompt format.
 */
public final class EvalTasks {
    /** WildJailbreak's four data types, in the order their label indices use. */
    private static final List<String> DATA_TYPES = List.of("vanilla_harmful", "adversarial_harmful", "vanilla_benign",
            "adversarial_benign");

    private EvalTasks() {}

    public static EvalTask create(EvalConfig config, FrozenTransformer model, Interventions interventions) {
        Path path = Path.of(config.dataset().path());
        PromptFormat format = config.promptFormat() == EvalConfig.PromptStyle.CHAT
                ? PromptFormat.chat(modelDirectory(config).flatMap(ChatTemplate::forModel), model.id())
                : config.promptTemplate() == null ? PromptFormat.plain() : PromptFormat.template(config.promptTemplate());
        int limit = config.dataset().limit();
        return switch (config.task()) {
            case MMLU -> {
                List<MultipleChoiceItem> shots = config.dataset().shots() == 0 ? List.of()
                        : new MmluReader(List.of(Path.of(config.dataset().shotsPath())), BadRowPolicy.FAIL).read().items()
                                .subList(0, config.dataset().shots());
                yield new MultipleChoiceTask(model, interventions,
                        first(new MmluReader(List.of(path), BadRowPolicy.FAIL).read().items(), limit), shots,
                        config.dataset().subject(), format);
            }
            case GSM8K -> new MathTask(model, interventions,
                    first(new Gsm8kReader(path, BadRowPolicy.FAIL).read().items(), limit), format, config.maxNewTokens(),
                    config.stop());
            case PERPLEXITY -> new PerplexityTask(model, interventions,
                    model.requireTokenizer().encode(readText(path), 0), config.window());
            case REFUSAL -> new RefusalTask(model, interventions, first(refusalPrompts(path), limit), format,
                    config.maxNewTokens(), config.stop(), config.refusalPhrases());
        };
    }

    /** The model's directory when it is one (bundled encoders have no chat template). */
    private static java.util.Optional<Path> modelDirectory(EvalConfig config) {
        Path dir = Path.of(config.model());
        return Files.isDirectory(dir) ? java.util.Optional.of(dir) : java.util.Optional.empty();
    }

    /**
     * Refusal prompts: a WildJailbreak TSV (grouped by {@code data_type}), or a CSV/JSONL with
     * {@code text} and {@code label} (grouped by label).
     */
    public static List<RefusalTask.Prompt> refusalPrompts(Path path) {
        List<RefusalTask.Prompt> prompts = new ArrayList<>();
        TextFileFormat format = TextFileFormat.of(path);
        if (format == TextFileFormat.TSV) {
            Map<String, Integer> types = Map.of(DATA_TYPES.get(0), 0, DATA_TYPES.get(1), 1, DATA_TYPES.get(2), 2,
                    DATA_TYPES.get(3), 3);
            LabelledTextSpec spec = new LabelledTextSpec(format, List.of("adversarial", "vanilla"), "data_type", null, types);
            for (Example e : new LabelledTextReader(path, spec, BadRowPolicy.FAIL).read().items()) {
                prompts.add(new RefusalTask.Prompt(e.id(), e.text(), DATA_TYPES.get(e.label())));
            }
        } else {
            for (Example e : new LabelledTextReader(path, LabelledTextSpec.of(format, "text", "label"), BadRowPolicy.FAIL)
                    .read().items()) {
                prompts.add(new RefusalTask.Prompt(e.id(), e.text(), "label_" + e.label()));
            }
        }
        return prompts;
    }

    private static String readText(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static <T> List<T> first(List<T> items, int limit) {
        return limit == 0 || limit >= items.size() ? items : items.subList(0, limit);
    }
}
