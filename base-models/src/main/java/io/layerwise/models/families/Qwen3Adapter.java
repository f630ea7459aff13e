package io.layerwise.models.families;

/**
 * Qwen3: the Llama layout plus a per-head RMSNorm on queries and keys before RoPE, and an explicit
 * {@code head_dim} that need not equal {@code hidden_size / num_attention_heads}.
 */
final class Qwen3Adapter extends LlamaAdapter {

    @Override
    protected String modelType() {
        return "qwen3";
    }

    @Override
    protected boolean queryKeyNorm() {
        return true;
    }
}
