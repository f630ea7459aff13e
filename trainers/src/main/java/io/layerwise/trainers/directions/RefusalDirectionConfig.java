package io.layerwise.trainers.directions;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.models.precision.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The config of {@code layerwise refusal-direction}: fit difference-of-means directions (harmful minus
 * benign prompts) on one half of a prompt set, ablate them at the top-n layers with several strengths,
 * and measure refusal rates on the other half.
 *
 * <pre>
 * model: examples/tiny-qwen3-chat     # a chat model (its chat template formats the prompts) (required)
 * prompts: data/testbed/prompts-dev.tsv  # WildJailbreak TSV: data_type says harmful or benign (required)
 * top_n: [1, 2, 4]                    # how many of the best-separating layers get the ablation
 * alphas: [0.5, 1.0]                  # ablation strengths (h <- h - alpha (h.v) v); the baseline is always run
 * max_new_tokens: 64
 * batch_size: 20
 * limit: 0                            # evaluate only the first N held-out prompts (0: all)
 * precision: f32
 * output: runs/refusal-direction      # run directory (required)
 * </pre>
 */
public record RefusalDirectionConfig(String model, String prompts, List<Integer> topN, List<Double> alphas,
        Integer maxNewTokens, Integer batchSize, Integer limit, Precision precision, String output) {

    public RefusalDirectionConfig {
        if (model == null || model.isBlank()) {
            throw new ConfigFieldException("model", "is required: a chat model directory");
        }
        if (prompts == null || !Files.isRegularFile(Path.of(prompts))) {
            throw new ConfigFieldException("prompts", "must name a prompt file (WildJailbreak TSV), got " + prompts);
        }
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the run directory");
        }
        topN = topN == null ? List.of(1, 2, 4) : List.copyOf(topN);
        if (topN.isEmpty() || topN.stream().anyMatch(n -> n == null || n < 1)) {
            throw new ConfigFieldException("top_n", "must list layer counts >= 1, got " + topN);
        }
        alphas = alphas == null ? List.of(0.5, 1.0) : List.copyOf(alphas);
        if (alphas.isEmpty() || alphas.stream().anyMatch(a -> a == null || a < 0)) {
            throw new ConfigFieldException("alphas", "must list strengths >= 0, got " + alphas);
        }
        maxNewTokens = ConfigDefaults.positive("max_new_tokens", maxNewTokens, 64);
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 20);
        limit = ConfigDefaults.nonNegative("limit", limit, 0);
        precision = precision == null ? Precision.F32 : precision;
    }
}
