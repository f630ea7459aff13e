package io.layerwise.trainers.pruning;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.models.precision.Precision;
import io.layerwise.trainers.eval.RefusalTask;
import java.util.List;

/**
 * The config of {@code layerwise aapp}: alignment-aware probe pruning against plain probe pruning and
 * random pruning at the same prune ratios, evaluated by refusals on held-out harmful and benign prompts.
 *
 * <pre>
 * model: examples/tiny-qwen3-chat         # the model the energies were measured on (required)
 * energies: runs/energies-tiny-qwen3      # store written by `layerwise energies` (required)
 * prompts: data/testbed/prompts-dev.tsv   # held-out harmful/benign prompts (required)
 * prompt_rows: odd                        # all | even | odd; must not overlap the rows of the histories
 * limit: 0                                # first N held-out prompts (0: all)
 * methods: [aapp, probe_pruning, random]
 * prune_ratios: [0, 0.15, 0.3]            # share of heads and of MLP channels removed per prunable block
 * probe_rows: 0.5                         # share of the batch's rows in the probe (by residual norm)
 * probe_tokens: 0.5                       # share of the batch's token columns in the probe
 * probe_fixed_ratio: null                 # probe weight in the energy blend (null: Probe Pruning's p/(p+g))
 * align_frac: 0.2                         # share of kept units the gate reserves for harmful-active ones
 * max_new_tokens: 64
 * batch_size: 20
 * seed: 0                                 # random pruning's draws
 * stop: ["&lt;|endoftext|&gt;", "&lt;|im_end|&gt;"]
 * refusal_phrases: null                   # default: refusal_direction's list
 * classifier: {texts: data/testbed/refusal-dev.csv}   # a probe trained on labelled responses (optional)
 * precision: f32
 * output: runs/aapp-tiny-qwen3            # run directory (required)
 * </pre>
 */
public record AappConfig(String model, String energies, String prompts, PromptRows promptRows, Integer limit,
        List<PruningMethod> methods, List<Double> pruneRatios, Double probeRows, Double probeTokens, Double probeFixedRatio,
        Double alignFrac, Integer maxNewTokens, Integer batchSize, Long seed, List<String> stop, List<String> refusalPhrases,
        RefusalClassifierConfig classifier, Precision precision, String output) {

    public AappConfig {
        if (model == null || model.isBlank()) {
            throw new ConfigFieldException("model", "is required: the chat model directory");
        }
        if (energies == null || energies.isBlank()) {
            // its contents are checked when the study opens it (a dry run may precede `layerwise energies`)
            throw new ConfigFieldException("energies", "is required: the directory `layerwise energies` writes");
        }
        EnergiesConfig.requireFile("prompts", prompts);
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the run directory");
        }
        promptRows = promptRows == null ? PromptRows.ODD : promptRows;
        limit = ConfigDefaults.nonNegative("limit", limit, 0);
        methods = methods == null ? List.of(PruningMethod.values()) : List.copyOf(methods);
        if (methods.isEmpty()) {
            throw new ConfigFieldException("methods", "must list at least one of aapp, probe_pruning, random");
        }
        pruneRatios = pruneRatios == null ? List.of(0.0, 0.15, 0.3) : List.copyOf(pruneRatios);
        if (pruneRatios.isEmpty() || pruneRatios.stream().anyMatch(r -> r == null || r < 0 || r >= 1)) {
            throw new ConfigFieldException("prune_ratios", "must list ratios in [0, 1), got " + pruneRatios);
        }
        probeRows = fraction("probe_rows", probeRows, 0.5);
        probeTokens = fraction("probe_tokens", probeTokens, 0.5);
        if (probeFixedRatio != null && !(probeFixedRatio >= 0 && probeFixedRatio <= 1)) {
            throw new ConfigFieldException("probe_fixed_ratio", "must be in [0, 1] (or null), got " + probeFixedRatio);
        }
        alignFrac = alignFrac == null ? 0.2 : alignFrac;
        if (!(alignFrac >= 0 && alignFrac <= 1)) {
            throw new ConfigFieldException("align_frac", "must be in [0, 1], got " + alignFrac);
        }
        maxNewTokens = ConfigDefaults.positive("max_new_tokens", maxNewTokens, 64);
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 20);
        seed = seed == null ? 0L : seed;
        stop = stop == null ? List.of("<|endoftext|>", "<|im_end|>") : List.copyOf(stop);
        refusalPhrases = refusalPhrases == null ? RefusalTask.DEFAULT_PHRASES : List.copyOf(refusalPhrases);
        precision = precision == null ? Precision.F32 : precision;
    }

    private static double fraction(String field, Double value, double fallback) {
        if (value == null) {
            return fallback;
        }
        if (!(value > 0 && value <= 1)) {
            throw new ConfigFieldException(field, "must be in (0, 1], got " + value);
        }
        return value;
    }
}
