package io.layerwise.models.families;

import io.layerwise.models.ModelException;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.nn.TransformerWeights;

/**
 * What differs between model families, and nothing else: how a {@code config.json} maps to a
 * {@link TransformerSpec} (with the family's defaults for omitted keys) and how the checkpoint's
 * tensor names map to the shared blocks. The forward pass itself is shared.
 */
public interface ArchitectureAdapter {

    /** Resolves the config, applying the family's defaults to missing keys. */
    TransformerSpec spec(HfConfig config);

    /** Binds every weight from a binder over the whole checkpoint, failing on missing or mis-shaped tensors. */
    TransformerWeights bind(TransformerSpec spec, WeightBinder checkpoint);

    /**
     * Whether a checkpoint tensor that no block uses may be skipped (non-persistent buffers, heads of
     * other tasks); anything else left over is an error.
     */
    default boolean ignorable(String tensorName) {
        return false;
    }

    /** The adapter for a config's {@code model_type}. */
    static ArchitectureAdapter forConfig(HfConfig config) {
        String type = config.requireString("model_type");
        return switch (type) {
            case "gpt2" -> new Gpt2Adapter();
            case "llama" -> new LlamaAdapter();
            case "qwen2" -> new Qwen2Adapter();
            case "qwen3" -> new Qwen3Adapter();
            case "bert" -> new BertAdapter();
            case "gemma3_text", "gemma3" -> new Gemma3Adapter();
            default -> throw new ModelException(config.source() + ": model_type '" + type
                    + "' is not supported (supported: gpt2, llama, qwen2, qwen3, bert, gemma3_text, gemma3)");
        };
    }
}
