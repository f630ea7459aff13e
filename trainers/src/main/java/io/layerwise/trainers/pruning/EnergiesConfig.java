package io.layerwise.trainers.pruning;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.models.precision.Precision;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config of {@code layerwise energies}: per-channel energy histories of a model over general text,
 * benign prompts and harmful prompts.
 *
 * <pre>
 * model: examples/tiny-qwen3-chat           # chat model; its chat template formats the prompts (required)
 * general: data/testbed/general-dev.jsonl   # general text: C4-style JSONL {"text": ...} (or CSV/TSV with text) (required)
 * prompts: data/testbed/prompts-dev.tsv     # WildJailbreak TSV, or text,label with 1 harmful / 0 benign (required)
 * prompt_rows: even                         # rows of prompts used here (all | even | odd); aapp evaluates on the others
 * general_limit: 0                          # first N general texts (0: all)
 * prompt_limit: 0                           # first N chosen prompts (0: all)
 * max_length: 256                           # tokens per text (longer ones are cut)
 * batch_size: 8
 * exclude_first: null                       # leading blocks left dense (default 6 for models of >= 24 blocks, else 0)
 * exclude_last: null                        # trailing blocks left dense (default 3 for models of >= 24 blocks, else 0)
 * precision: f32
 * output: runs/energies-tiny-qwen3          # the energy store directory (required)
 * </pre>
 */
public record EnergiesConfig(String model, String general, String prompts, PromptRows promptRows, Integer generalLimit,
        Integer promptLimit, Integer maxLength, Integer batchSize, Integer excludeFirst, Integer excludeLast,
        Precision precision, String output) {

    public EnergiesConfig {
        if (model == null || model.isBlank()) {
            throw new ConfigFieldException("model", "is required: a chat model directory");
        }
        requireFile("general", general);
        requireFile("prompts", prompts);
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the energy store directory");
        }
        promptRows = promptRows == null ? PromptRows.EVEN : promptRows;
        generalLimit = ConfigDefaults.nonNegative("general_limit", generalLimit, 0);
        promptLimit = ConfigDefaults.nonNegative("prompt_limit", promptLimit, 0);
        maxLength = ConfigDefaults.positive("max_length", maxLength, 256);
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 8);
        if (excludeFirst != null) {
            ConfigDefaults.nonNegative("exclude_first", excludeFirst, 0);
        }
        if (excludeLast != null) {
            ConfigDefaults.nonNegative("exclude_last", excludeLast, 0);
        }
        precision = precision == null ? Precision.F32 : precision;
    }

    static void requireFile(String field, String path) {
        if (path == null || !Files.isRegularFile(Path.of(path))) {
            throw new ConfigFieldException(field, "must name a file, got " + path);
        }
    }
}
