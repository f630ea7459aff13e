package io.layerwise.models.families;

import io.layerwise.models.config.AttentionSpec;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.config.RopeSpec;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.config.TransformerSpec.BlockLayout;
import io.layerwise.models.nn.Activation;
import io.layerwise.models.nn.AttentionWeights;
import io.layerwise.models.nn.BlockWeights;
import io.layerwise.models.nn.EmbeddingWeights;
import io.layerwise.models.nn.MlpWeights;
import io.layerwise.models.nn.TransformerWeights;
import io.layerwise.models.precision.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * Llama 2 and 3.x: RMSNorm pre-norm blocks, RoPE (with Llama 3 {@code rope_scaling}), grouped-query
 * attention, SiLU-gated MLP, {@code attention_bias} / {@code mlp_bias} as configured. Qwen2 and Qwen3
 * are the same layout with different defaults and extras, so they extend this adapter and override
 * only those.
 */
class LlamaAdapter implements ArchitectureAdapter {

    protected String modelType() {
        return "llama";
    }

    /** Whether q/k/v projections carry a bias. */
    protected boolean qkvBias(HfConfig c) {
        return c.boolOr("attention_bias", false);
    }

    /** Whether the attention output projection carries a bias. */
    protected boolean outputBias(HfConfig c) {
        return c.boolOr("attention_bias", false);
    }

    /** Whether q and k get a per-head RMSNorm before RoPE. */
    protected boolean queryKeyNorm() {
        return false;
    }

    /** Rejects config features the runtime does not implement, naming the key. */
    protected void checkSupported(HfConfig c) {
        if (c.boolOr("use_sliding_window", false)) {
            throw c.error("use_sliding_window", "is true: sliding-window attention is not supported for "
                    + modelType() + " (real Qwen2.5/Qwen3 checkpoints set it to false)");
        }
    }

    @Override
    public TransformerSpec spec(HfConfig c) {
        checkSupported(c);
        int hidden = c.requireInt("hidden_size");
        int heads = c.requireInt("num_attention_heads");
        int kvHeads = c.intOr("num_key_value_heads", heads);
        if (heads == 0 || hidden % heads != 0 && !c.has("head_dim")) {
            throw c.error("num_attention_heads", "must divide hidden_size=" + hidden + " when head_dim is not given");
        }
        if (kvHeads == 0 || heads % kvHeads != 0) {
            throw c.error("num_key_value_heads", "must divide num_attention_heads=" + heads);
        }
        int headDim = c.intOr("head_dim", hidden / heads);
        int layers = c.requireInt("num_hidden_layers");
        return new TransformerSpec(modelType(), hidden, layers, heads, kvHeads, headDim,
                c.requireInt("intermediate_size"), c.requireInt("vocab_size"),
                c.intOr("max_position_embeddings", 2048), BlockLayout.PRE_NORM,
                (float) c.doubleOr("rms_norm_eps", 1e-6),
                Activation.fromHfName(c.string("hidden_act").orElse("silu"), c.source()),
                true, new TransformerSpec.Biases(qkvBias(c), outputBias(c), c.boolOr("mlp_bias", false)), true,
                AttentionSpec.uniform(layers, headDim, RopeSpec.fromConfig(c, 10000.0)), 0,
                c.intOr("pad_token_id", c.intOr("eos_token_id", 0)), c.boolOr("tie_word_embeddings", false), 1f, 0f);
    }

    @Override
    public boolean ignorable(String name) {
        return name.endsWith(".rotary_emb.inv_freq");
    }

    @Override
    public TransformerWeights bind(TransformerSpec s, WeightBinder checkpoint) {
        WeightBinder w = checkpoint.under("model.");
        long h = s.hiddenSize();
        long qWidth = (long) s.numHeads() * s.headDim();
        long kvWidth = (long) s.numKvHeads() * s.headDim();
        long inter = s.intermediateSize();
        float eps = s.normEps();
        WeightMatrix tokens = w.matrix("embed_tokens.weight", s.vocabSize(), h);
        List<BlockWeights> blocks = new ArrayList<>();
        for (int i = 0; i < s.numLayers(); i++) {
            String a = "layers." + i + ".self_attn.";
            String m = "layers." + i + ".mlp.";
            boolean bias = s.biases().qkv();
            boolean mlpBias = s.biases().mlp();
            AttentionWeights attention = new AttentionWeights(
                    w.linear(a + "q_proj", qWidth, h, bias),
                    w.linear(a + "k_proj", kvWidth, h, bias),
                    w.linear(a + "v_proj", kvWidth, h, bias),
                    w.linear(a + "o_proj", h, qWidth, s.biases().output()),
                    queryKeyNorm() ? w.rmsNorm(a + "q_norm", s.headDim(), eps) : null,
                    queryKeyNorm() ? w.rmsNorm(a + "k_norm", s.headDim(), eps) : null);
            MlpWeights mlp = new MlpWeights(w.linear(m + "gate_proj", inter, h, mlpBias),
                    w.linear(m + "up_proj", inter, h, mlpBias), w.linear(m + "down_proj", h, inter, mlpBias));
            blocks.add(new BlockWeights(w.rmsNorm("layers." + i + ".input_layernorm", h, eps), attention,
                    w.rmsNorm("layers." + i + ".post_attention_layernorm", h, eps), mlp));
        }
        return new TransformerWeights(new EmbeddingWeights(tokens, null, null, null), blocks,
                w.rmsNorm("norm", h, eps), OutputEmbedding.bind(checkpoint, tokens, s));
    }
}
