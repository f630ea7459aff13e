package io.layerwise.trainers.router;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.datasets.extract.DatasetConfig;
import io.layerwise.datasets.extract.LayerSelection;
import io.layerwise.models.precision.Precision;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The config of {@code layerwise route}: train a Mixture-of-Heads router per block of a frozen model on
 * its per-token activations, then evaluate the routed model against the dense one, static top-k heads
 * and random heads at the same head budget.
 *
 * <pre>
 * model: examples/tiny-qwen3-chat      # Hugging Face model directory with tokenizer.json (required)
 * dataset: {path: data/testbed/general-dev.jsonl, format: jsonl, label_field: none}   # texts (required)
 * held_out: 0.2                        # share of the texts kept out of training, for the forward-pass evaluation
 * token_budget: 20000                  # training tokens at most (90% train, 10% validation rows)
 * max_length: 256                      # tokens kept per text
 * layers: all                          # blocks that get a router (the others stay dense)
 * shared_heads: null                   # always-on heads per block (default: half the heads)
 * top_k: null                          # routed heads kept per token (default: half the others; MoH's 75%)
 * weighting: mask                      # mask (kept heads weigh 1) or scores (MoH's renormalized scores)
 * two_way: false                       # MoH's two-way shared/routed weighting
 * beta: 0.01                           # weight of the load-balancing loss
 * learning_rate: 0.05                  # Adam
 * epochs: 10
 * batch_size: 4096                     # tokens per training step
 * eval_batch_size: 8                   # texts per forward pass (extraction and evaluation)
 * mmlu: data/testbed/mmlu-dev.csv      # optional MMLU CSV for multiple-choice accuracy and macro P/R/F1
 * mmlu_limit: 0                        # first N items only (0: all)
 * seed: 42
 * precision: f32
 * output: runs/route                   # run directory (required)
 * </pre>
 *
 * @param model model directory
 * @param dataset training and held-out texts
 * @param heldOut share of texts held out, in (0, 1)
 * @param tokenBudget training tokens at most
 * @param maxLength tokens per text
 * @param layers blocks with a router
 * @param sharedHeads always-on heads, or null for half the heads
 * @param topK routed heads kept, or null for half of the others
 * @param weighting weights of kept routed heads
 * @param twoWay two-way shared/routed weighting
 * @param beta load-balancing weight, at least 0
 * @param learningRate Adam learning rate, positive
 * @param epochs training epochs
 * @param batchSize tokens per step
 * @param evalBatchSize texts per forward pass
 * @param mmlu MMLU CSV, or null
 * @param mmluLimit first N MMLU items (0: all)
 * @param seed seed of the text split, initialization, shuffling and the random-heads baseline
 * @param precision arithmetic of the model's linear layers
 * @param output run directory
 */
public record RouteConfig(String model, DatasetConfig dataset, Double heldOut, Integer tokenBudget, Integer maxLength,
        LayerSelection layers, Integer sharedHeads, Integer topK, GateWeighting weighting, Boolean twoWay, Double beta,
        Double learningRate, Integer epochs, Integer batchSize, Integer evalBatchSize, String mmlu, Integer mmluLimit,
        Long seed, Precision precision, String output) {

    public RouteConfig {
        if (model == null || model.isBlank()) {
            throw new ConfigFieldException("model", "is required: a Hugging Face model directory with tokenizer.json");
        }
        if (dataset == null) {
            throw new ConfigFieldException("dataset", "is required, e.g. {path: texts.jsonl, format: jsonl, label_field: none}");
        }
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the run directory");
        }
        heldOut = heldOut == null ? 0.2 : heldOut;
        if (!(heldOut > 0 && heldOut < 1)) {
            throw new ConfigFieldException("held_out", "must be in (0, 1), got " + heldOut);
        }
        tokenBudget = ConfigDefaults.positive("token_budget", tokenBudget, 20_000);
        maxLength = ConfigDefaults.positive("max_length", maxLength, 256);
        layers = layers == null ? LayerSelection.ALL : layers;
        if (sharedHeads != null && sharedHeads < 0) {
            throw new ConfigFieldException("shared_heads", "must be >= 0, got " + sharedHeads);
        }
        if (topK != null && topK < 1) {
            throw new ConfigFieldException("top_k", "must be >= 1, got " + topK);
        }
        weighting = weighting == null ? GateWeighting.MASK : weighting;
        twoWay = twoWay != null && twoWay;
        beta = beta == null ? 0.01 : beta;
        if (!(beta >= 0)) {
            throw new ConfigFieldException("beta", "must be >= 0, got " + beta);
        }
        learningRate = learningRate == null ? 0.05 : learningRate;
        if (!(learningRate > 0)) {
            throw new ConfigFieldException("learning_rate", "must be > 0, got " + learningRate);
        }
        epochs = ConfigDefaults.positive("epochs", epochs, 10);
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 4096);
        evalBatchSize = ConfigDefaults.positive("eval_batch_size", evalBatchSize, 8);
        if (mmlu != null && !Files.isRegularFile(Path.of(mmlu))) {
            throw new ConfigFieldException("mmlu", "must name an MMLU CSV file, got " + mmlu);
        }
        mmluLimit = ConfigDefaults.nonNegative("mmlu_limit", mmluLimit, 0);
        seed = seed == null ? 42L : seed;
        precision = precision == null ? Precision.F32 : precision;
    }

    /** Shared heads for a block of {@code heads} heads: as configured, or half of them (MoH's LLM setting). */
    public int sharedHeadsFor(int heads) {
        return sharedHeads != null ? sharedHeads : heads / 2;
    }

    /** Routed heads kept for a block of {@code heads} heads: as configured, or half of the routed ones. */
    public int topKFor(int heads) {
        return topK != null ? topK : Math.max(1, (heads - sharedHeadsFor(heads)) / 2);
    }

    /** The training settings for a block of {@code heads} heads. */
    public RouterSettings settings(int heads) {
        return new RouterSettings(sharedHeadsFor(heads), topKFor(heads), weighting, twoWay, beta, learningRate, epochs,
                batchSize, seed);
    }
}
