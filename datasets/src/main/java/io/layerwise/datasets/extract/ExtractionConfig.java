package io.layerwise.datasets.extract;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.models.precision.Precision;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The config of {@code layerwise extract}: which model, which texts, what to capture and where to
 * store it. Omitted fields take the defaults below; {@link io.layerwise.datasets.config.ConfigLoader}
 * reads it from YAML with snake_case keys.
 *
 * <pre>
 * model: all-minilm-l6-v2          # bundled encoder name or Hugging Face model directory (required)
 * dataset: {path: train.csv, format: jigsaw}   # see DatasetConfig (required)
 * splits: {train: 0.8, validation: 0.1, test: 0.1, seed: 42}
 * taps: [residual]                 # residual, heads, mlp, attention_input
 * layers: all                      # or an index, or a list of indices
 * pooling: mean                    # mean, last, max, none (one row per token)
 * max_length: 512                  # tokens kept per text (default: 512, or fewer if the model has fewer positions)
 * truncation: true                 # cut longer texts (false: refuse them)
 * padding_side: auto               # auto (decoders left, encoders right), left, right
 * batch_size: 32                   # texts per forward pass
 * shard_size: 2048                 # texts per shard file
 * dtype: f16                       # f16 or f32
 * precision: f32                   # f32 (exact) or bf16 (linear layers in bf16)
 * output: runs/x/activations       # store directory (required)
 * execution: {engine: local}       # how shards are computed, see ExecutionConfig (not part of the store)
 * </pre>
 *
 * @param model bundled encoder name or model directory
 * @param dataset the texts and labels
 * @param splits train / validation / test shares and seed
 * @param taps what to capture, in order, no repeats
 * @param layers which layers of each tap
 * @param pooling how token vectors become rows
 * @param maxLength tokens kept per text, at least 1; null until resolved against the model ({@link #DEFAULT_MAX_LENGTH}
 *     or the model's positions if fewer)
 * @param truncation cut texts longer than {@code maxLength} (otherwise they are an error)
 * @param paddingSide padding side
 * @param batchSize texts per forward pass, at least 1
 * @param shardSize texts per shard, at least 1; length bucketing happens within a shard
 * @param dtype activation element type
 * @param precision arithmetic of the model's linear layers
 * @param output store directory
 * @param execution how the shards are computed (this process, or Spark tasks)
 */
public record ExtractionConfig(String model, DatasetConfig dataset, SplitConfig splits, List<ActivationTap> taps,
        LayerSelection layers, Pooling pooling, Integer maxLength, Boolean truncation, PaddingChoice paddingSide,
        Integer batchSize, Integer shardSize, StoreDType dtype, Precision precision, String output,
        ExecutionConfig execution) {

    /** Tokens kept per text when the config does not say, unless the model has fewer positions. */
    public static final int DEFAULT_MAX_LENGTH = 512;

    public ExtractionConfig {
        if (model == null || model.isBlank()) {
            throw new ConfigFieldException("model", "is required: a bundled encoder (all-minilm-l6-v2, bge-small-en-v15, "
                    + "e5-small-v2) or a Hugging Face model directory");
        }
        if (dataset == null) {
            throw new ConfigFieldException("dataset", "is required, e.g. {path: data/train.csv, format: jigsaw}");
        }
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the directory of the activation store");
        }
        splits = splits == null ? SplitConfig.DEFAULT : splits;
        taps = taps == null ? List.of(ActivationTap.RESIDUAL) : taps;
        if (taps.isEmpty()) {
            throw new ConfigFieldException("taps", "names no tap; list at least one of " + ActivationTap.names());
        }
        if (new LinkedHashSet<>(taps).size() != taps.size()) {
            throw new ConfigFieldException("taps", "names a tap twice: " + taps);
        }
        taps = List.copyOf(taps);
        layers = layers == null ? LayerSelection.ALL : layers;
        pooling = pooling == null ? Pooling.MEAN : pooling;
        maxLength = maxLength == null ? null : ConfigDefaults.positive("max_length", maxLength, DEFAULT_MAX_LENGTH);
        truncation = truncation == null || truncation;
        paddingSide = paddingSide == null ? PaddingChoice.AUTO : paddingSide;
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 32);
        shardSize = ConfigDefaults.positive("shard_size", shardSize, 2048);
        dtype = dtype == null ? StoreDType.F16 : dtype;
        precision = precision == null ? Precision.F32 : precision;
        execution = execution == null ? ExecutionConfig.LOCAL : execution;
    }

    /** This config with {@code max_length} set, as planning resolves it against the model. */
    public ExtractionConfig withMaxLength(int tokens) {
        return new ExtractionConfig(model, dataset, splits, taps, layers, pooling, tokens, truncation, paddingSide,
                batchSize, shardSize, dtype, precision, output, execution);
    }
}
