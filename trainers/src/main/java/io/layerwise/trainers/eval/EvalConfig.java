package io.layerwise.trainers.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.models.precision.Precision;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.Workload;
import java.util.List;

/**
 * The config of {@code layerwise eval} (and of each condition of {@code layerwise prune}): a model, a
 * task, its data and how prompts are formed. Omitted fields take the defaults below.
 *
 * <pre>
 * model: examples/tiny-qwen3-chat    # model directory or bundled name (required)
 * task: mmlu                         # mmlu, gsm8k, perplexity, refusal (required)
 * dataset:
 *   path: data/mmlu-dev.csv          # MMLU CSV or HF Parquet, GSM8K JSONL, text file, WildJailbreak TSV (required)
 *   subject: general knowledge       # mmlu: named when the file gives no subject
 *   shots_path: data/mmlu-train.csv  # mmlu: solved examples for k-shot prompts
 *   shots: 0                         # mmlu: how many of them
 *   limit: 0                         # evaluate only the first N items (0: all)
 * prompt_format: plain               # plain, or chat (the model's chat_template); refusal defaults to chat
 * prompt_template: "Q: {prompt}\nA:" # plain only: a template string around each task prompt (optional)
 * max_new_tokens: 128                # gsm8k 128, refusal 64 by default
 * stop: ["&lt;|endoftext|&gt;", "&lt;|im_end|&gt;"]
 * refusal_phrases: [...]             # refusal: substrings that mark a refusal (default: refusal_direction's list)
 * window: 512                        # perplexity: tokens per window
 * batch_size: 8
 * precision: f32                     # f32 (exact) or bf16 (linear layers in bf16)
 * output: runs/eval                  # run directory (required)
 * </pre>
 *
 * @param model model directory or bundled name
 * @param task what to evaluate
 * @param dataset the items
 * @param promptFormat plain or chat
 * @param promptTemplate for plain prompts, a string whose {@code {prompt}} is replaced by the task prompt
 * @param maxNewTokens generation limit
 * @param stop stop strings (single special tokens stop the decoder; others cut the text)
 * @param refusalPhrases refusal markers
 * @param window perplexity window
 * @param batchSize items per forward pass
 * @param precision arithmetic of the linear layers
 * @param output run directory
 */
public record EvalConfig(String model, EvalTaskKind task, Dataset dataset, PromptStyle promptFormat,
        String promptTemplate, Integer maxNewTokens,
        List<String> stop, List<String> refusalPhrases, Integer window, Integer batchSize, Precision precision,
        String output) {

    /**
     * Where the items come from.
     *
     * @param path the file
     * @param subject MMLU subject named when the file gives none
     * @param shotsPath MMLU solved examples for k-shot prompts
     * @param shots how many of them are shown
     * @param limit only the first N items (0: all)
     */
    public record Dataset(String path, String subject, String shotsPath, Integer shots, Integer limit) {
        public Dataset {
            if (path == null || path.isBlank()) {
                throw new ConfigFieldException("path", "is required: the file to evaluate on");
            }
            requireFile("path", path);
            if (shotsPath != null) {
                requireFile("shots_path", shotsPath);
            }
            subject = subject == null ? "general knowledge" : subject;
            shots = ConfigDefaults.nonNegative("shots", shots, 0);
            limit = ConfigDefaults.nonNegative("limit", limit, 0);
            if (shots > 0 && shotsPath == null) {
                throw new ConfigFieldException("shots_path", "is required when shots > 0: a CSV of solved examples");
            }
        }
    }

    /** How prompts reach the model. */
    public enum PromptStyle {
        PLAIN,
        CHAT;

        @JsonCreator
        public static PromptStyle fromConfig(String name) {
            return ConfigEnums.parse(PromptStyle.class, name);
        }

        @JsonValue
        public String configName() {
            return ConfigEnums.configName(this);
        }
    }

    /** Prompt length assumed by the preflight; prompts of these tasks are a few hundred tokens at most. */
    private static final int PROMPT_TOKENS = 512;

    public EvalConfig {
        if (model == null || model.isBlank()) {
            throw new ConfigFieldException("model", "is required: a model directory or a bundled model name");
        }
        if (task == null) {
            throw new ConfigFieldException("task", "is required: mmlu, gsm8k, perplexity or refusal");
        }
        if (dataset == null) {
            throw new ConfigFieldException("dataset", "is required, e.g. {path: data/mmlu-dev.csv}");
        }
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the run directory");
        }
        promptFormat = promptFormat == null ? (task == EvalTaskKind.REFUSAL ? PromptStyle.CHAT : PromptStyle.PLAIN)
                : promptFormat;
        if (promptTemplate != null && promptFormat == PromptStyle.CHAT) {
            throw new ConfigFieldException("prompt_template", "applies to plain prompts; prompt_format chat uses the "
                    + "model's own chat template");
        }
        if (promptTemplate != null && !promptTemplate.contains(PromptFormat.PLACEHOLDER)) {
            throw new ConfigFieldException("prompt_template", "must contain " + PromptFormat.PLACEHOLDER
                    + " where the task's prompt goes");
        }
        maxNewTokens = ConfigDefaults.positive("max_new_tokens", maxNewTokens, task == EvalTaskKind.REFUSAL ? 64 : 128);
        stop = stop == null ? List.of("<|endoftext|>", "<|im_end|>") : List.copyOf(stop);
        refusalPhrases = refusalPhrases == null ? RefusalTask.DEFAULT_PHRASES : List.copyOf(refusalPhrases);
        if (refusalPhrases.isEmpty()) {
            throw new ConfigFieldException("refusal_phrases", "is empty: list at least one phrase");
        }
        window = ConfigDefaults.positive("window", window, 512);
        if (window < 2) {
            throw new ConfigFieldException("window", "must be at least 2 tokens");
        }
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 8);
        precision = precision == null ? Precision.F32 : precision;
    }

    /** What the model will be asked to do, for the memory preflight before it loads. */
    public Workload workload() {
        return switch (task) {
            case GSM8K, REFUSAL -> Workload.generation(batchSize, PROMPT_TOKENS, maxNewTokens);
            case PERPLEXITY -> Workload.forward(batchSize, window, Taps.of(TapKind.LOGITS));
            case MMLU -> Workload.forward(batchSize, PROMPT_TOKENS, Taps.of(TapKind.NEXT_TOKEN_LOGITS));
        };
    }

    private static void requireFile(String field, String path) {
        if (!java.nio.file.Files.isRegularFile(java.nio.file.Path.of(path))) {
            throw new ConfigFieldException(field, "'" + path + "' is not a file (paths are relative to the directory "
                    + "the command runs in)");
        }
    }
}
