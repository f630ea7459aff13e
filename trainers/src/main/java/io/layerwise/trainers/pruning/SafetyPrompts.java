package io.layerwise.trainers.pruning;

import io.layerwise.datasets.DatasetException;
import io.layerwise.trainers.eval.EvalTasks;
import io.layerwise.trainers.eval.RefusalTask;
import java.nio.file.Path;
import java.util.List;

/**
 * Harmful and benign prompts from one file: a WildJailbreak TSV ({@code data_type} {@code *_harmful} /
 * {@code *_benign}) or a plain {@code text,label} file (CSV, TSV or JSONL; label 1 harmful, 0 benign),
 * restricted to some rows so that histories and evaluation never share a prompt.
 *
 * @param file the prompt file
 * @param rows the rows used
 * @param prompts the chosen prompts, harmful and benign, in file order
 */
public record SafetyPrompts(Path file, PromptRows rows, List<RefusalTask.Prompt> prompts) {

    public SafetyPrompts {
        prompts = List.copyOf(prompts);
    }

    /** Reads {@code file}, keeps {@code rows}, then at most {@code limit} prompts (0: all). */
    public static SafetyPrompts read(Path file, PromptRows rows, int limit) {
        List<RefusalTask.Prompt> chosen = rows.select(EvalTasks.refusalPrompts(file)).stream()
                .filter(p -> isHarmful(p) || isBenign(p)).toList();
        if (limit > 0 && limit < chosen.size()) {
            chosen = chosen.subList(0, limit);
        }
        SafetyPrompts prompts = new SafetyPrompts(file, rows, chosen);
        if (prompts.harmful().isEmpty() || prompts.benign().isEmpty()) {
            throw new DatasetException(file + " (" + rows.configName() + " rows) needs both harmful and benign prompts: "
                    + "WildJailbreak data_type *_harmful / *_benign, or label 1 / 0");
        }
        return prompts;
    }

    public static boolean isHarmful(RefusalTask.Prompt p) {
        return p.group().contains("harmful") || p.group().equals("label_1");
    }

    public static boolean isBenign(RefusalTask.Prompt p) {
        return p.group().contains("benign") || p.group().equals("label_0");
    }

    public List<RefusalTask.Prompt> harmful() {
        return prompts.stream().filter(SafetyPrompts::isHarmful).toList();
    }

    public List<RefusalTask.Prompt> benign() {
        return prompts.stream().filter(SafetyPrompts::isBenign).toList();
    }
}
