package io.layerwise.datasets.store;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.TapKind;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What an activation store can hold per layer, named as in configs and store directories, with the
 * runtime {@link TapKind} behind each and its width. Residual taps are indexed like Hugging Face's
 * {@code hidden_states} (0 = embeddings, 0..L); the others by block (0..L-1).
 */
public enum ActivationTap {
    /** Residual stream, width H, layers 0..L. */
    RESIDUAL(TapKind.RESIDUAL),
    /** Per-head attention outputs (input of the output projection), flattened head-major to heads * head_dim. */
    HEADS(TapKind.HEAD_OUTPUTS),
    /** Input channels of the MLP down projection, width I. */
    MLP(TapKind.MLP_CHANNELS),
    /** What the attention of each block reads, width H. */
    ATTENTION_INPUT(TapKind.ATTENTION_INPUT);

    private final TapKind kind;

    ActivationTap(TapKind kind) {
        this.kind = kind;
    }

    /** The name used in configs, manifests and directory names: {@code residual}, {@code heads}, {@code mlp}, {@code attention_input}. */
    @JsonValue
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The tap with this config name. */
    public static Optional<ActivationTap> byName(String name) {
        return Arrays.stream(values()).filter(t -> t.configName().equals(name)).findFirst();
    }

    /** The tap a config names, or an error listing the names. */
    @JsonCreator
    public static ActivationTap fromConfig(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not one of " + names()));
    }

    /** The accepted names, for error messages. */
    public static String names() {
        return Arrays.stream(values()).map(ActivationTap::configName).collect(Collectors.joining(", "));
    }

    public TapKind kind() {
        return kind;
    }

    /** Width of one token's vector. */
    public int dim(TransformerSpec spec) {
        return switch (this) {
            case RESIDUAL, ATTENTION_INPUT -> spec.hiddenSize();
            case HEADS -> spec.attentionWidth();
            case MLP -> spec.intermediateSize();
        };
    }

    /** Number of layer indices: L + 1 for the residual stream, L for per-block taps. */
    public int layerCount(TransformerSpec spec) {
        return this == RESIDUAL ? spec.numLayers() + 1 : spec.numLayers();
    }

    /** The captured tensor of one layer, {@code [batch, seq, ...]} with the trailing axes of {@link #dim}. */
    public NDArray tensor(ForwardResult result, int layer) {
        return switch (this) {
            case RESIDUAL -> result.residual(layer);
            case HEADS -> result.headOutputs(layer);
            case MLP -> result.mlpChannels(layer);
            case ATTENTION_INPUT -> result.attentionInput(layer);
        };
    }
}
