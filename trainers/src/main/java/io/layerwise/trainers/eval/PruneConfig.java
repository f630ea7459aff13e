package io.layerwise.trainers.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.models.precision.Precision;
import io.layerwise.models.runtime.MagnitudePruning;
import java.util.List;

/**
 * The config of {@code layerwise prune}: an evaluation (the same keys as {@link EvalConfig}) repeated
 * for the dense model (the {@code Zeroshot} row) and for every pruning condition of one study.
 *
 * <pre>
 * study: layer_removal              # layer_removal or magnitude
 * layers: [0, 1, 2]                 # layer_removal: blocks to drop one at a time (default: all)
 * percentages: [10, 20, 30]         # magnitude: % of weights zeroed (default 10..90; 5..20 for gsm8k)
 * scope: per_matrix                 # magnitude: per_matrix or global threshold
 * safety_prompts: data/prompts.tsv  # optional: every row also measures refusal rates on these prompts
 * ...                               # model, task, dataset, prompt_format, ..., output as for eval
 * </pre>
 */
public record PruneConfig(String model, EvalTaskKind task, EvalConfig.Dataset dataset, EvalConfig.PromptStyle promptFormat,
        String promptTemplate, Integer maxNewTokens, List<String> stop, List<String> refusalPhrases, Integer window, Integer batchSize,
        Precision precision, String output, Study study, List<Integer> layers, List<Double> percentages,
        PruningScope scope, String safetyPrompts) {

    /** Which static pruning is studied. */
    public enum Study {
        /** Drop one block at a time (the residual passes through). */
        LAYER_REMOVAL,
        /** Zero a percentage of the smallest-magnitude weights of every block matrix. */
        MAGNITUDE;

        @JsonCreator
        public static Study fromConfig(String name) {
            return ConfigEnums.parse(Study.class, name);
        }

        @JsonValue
        public String configName() {
            return ConfigEnums.configName(this);
        }
    }

    /** Per-matrix or global magnitude thresholds, as configs spell them. */
    public enum PruningScope {
        PER_MATRIX(MagnitudePruning.Scope.PER_MATRIX),
        GLOBAL(MagnitudePruning.Scope.GLOBAL);

        private final MagnitudePruning.Scope scope;

        PruningScope(MagnitudePruning.Scope scope) {
            this.scope = scope;
        }

        public MagnitudePruning.Scope scope() {
            return scope;
        }

        @JsonCreator
        public static PruningScope fromConfig(String name) {
            return ConfigEnums.parse(PruningScope.class, name);
        }

        @JsonValue
        public String configName() {
            return ConfigEnums.configName(this);
        }
    }

    public PruneConfig {
        if (study == null) {
            throw new ConfigFieldException("study", "is required: layer_removal or magnitude");
        }
        if (layers != null && layers.stream().anyMatch(l -> l == null || l < 0)) {
            throw new ConfigFieldException("layers", "must list block indices >= 0, got " + layers);
        }
        if (percentages == null) {
            percentages = task == EvalTaskKind.GSM8K ? List.of(5.0, 10.0, 15.0, 20.0)
                    : List.of(10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0);
        }
        if (percentages.isEmpty() || percentages.stream().anyMatch(p -> p == null || p < 0 || p > 100)) {
            throw new ConfigFieldException("percentages", "must list values between 0 and 100, got " + percentages);
        }
        percentages = List.copyOf(percentages);
        layers = layers == null ? null : List.copyOf(layers);
        scope = scope == null ? PruningScope.PER_MATRIX : scope;
        if (safetyPrompts != null && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(safetyPrompts))) {
            throw new ConfigFieldException("safety_prompts", "'" + safetyPrompts + "' is not a file");
        }
        // validates the shared evaluation keys now (a compact constructor's fields are not yet assigned)
        new EvalConfig(model, task, dataset, promptFormat, promptTemplate, maxNewTokens, stop, refusalPhrases, window, batchSize, precision,
                output);
    }

    /**
     * The refusal evaluation every row also runs when {@code safety_prompts} is set (chat prompts,
     * greedy, the evaluation's refusal phrases): what pruning does to safety, as extra columns.
     */
    public java.util.Optional<EvalConfig> safetyEvaluation() {
        if (safetyPrompts == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new EvalConfig(model, EvalTaskKind.REFUSAL,
                new EvalConfig.Dataset(safetyPrompts, null, null, null, null), EvalConfig.PromptStyle.CHAT, null, null,
                stop, refusalPhrases, null, batchSize, precision, output));
    }

    /** The evaluation every row runs, writing into {@code output}. */
    public EvalConfig evaluation() {
        return new EvalConfig(model, task, dataset, promptFormat, promptTemplate, maxNewTokens, stop, refusalPhrases, window, batchSize,
                precision, output);
    }
}
