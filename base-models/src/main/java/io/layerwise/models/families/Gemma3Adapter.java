package io.layerwise.models.families;

import com.fasterxml.jackson.databind.JsonNode;
import io.layerwise.models.ModelException;
import io.layerwise.models.config.AttentionSpec;
import io.layerwise.models.config.AttentionSpec.LayerAttention;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.config.RopeSpec;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.config.TransformerSpec.BlockLayout;
import io.layerwise.models.nn.Activation;
import io.layerwise.models.nn.AttentionWeights;
import io.layerwise.models.nn.BlockWeights;
import io.layerwise.models.nn.EmbeddingWeights;
import io.layerwise.models.nn.MlpWeights;
import io.layerwise.models.nn.Norm;
import io.layerwise.models.nn.TransformerWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * Gemma 3's text decoder, from text-only ({@code gemma3_text}) and multimodal ({@code gemma3},
 * decoder keys under {@code text_config}, weights under {@code language_model.model.} or
 * {@code model.language_model.}) checkpoints. What differs from Llama: embeddings scaled by
 * {@code sqrt(H)}; RMSNorms scale by {@code 1 + w}; four norms per block (each sub-layer's input and
 * output); q/k RMSNorm before RoPE; scores scaled by {@code query_pre_attn_scalar^-0.5}; tanh GeGLU;
 * interleaved sliding-window and global layers with their own RoPE (local base, unscaled, on sliding
 * layers; {@code rope_theta} with {@code rope_scaling} on global ones); optional soft-capping.
 * Missing keys take {@code Gemma3TextConfig}'s defaults; the layer pattern and RoPE may be given in
 * any of the three forms configs use (classic keys, {@code layer_types}, {@code rope_parameters}).
 */
final class Gemma3Adapter implements ArchitectureAdapter {
    private static final String SLIDING = "sliding_attention";
    private static final String FULL = "full_attention";

    @Override
    public TransformerSpec spec(HfConfig root) {
        HfConfig c = textConfig(root);
        int hidden = c.intOr("hidden_size", 2304);
        int heads = c.intOr("num_attention_heads", 8);
        int kvHeads = c.intOr("num_key_value_heads", 4);
        int layers = c.intOr("num_hidden_layers", 26);
        int headDim = c.intOr("head_dim", 256);
        if (heads == 0 || kvHeads == 0 || heads % kvHeads != 0) {
            throw c.error("num_key_value_heads", "must divide num_attention_heads=" + heads);
        }
        boolean bias = c.boolOr("attention_bias", false);
        AttentionSpec attention = new AttentionSpec(
                (float) Math.pow(c.doubleOr("query_pre_attn_scalar", 256), -0.5),
                (float) c.doubleOr("attn_logit_softcapping", 0), layerPatterns(c, layers));
        return new TransformerSpec("gemma3", hidden, layers, heads, kvHeads, headDim, c.intOr("intermediate_size", 9216),
                c.intOr("vocab_size", 262208), c.intOr("max_position_embeddings", 131072), BlockLayout.PRE_NORM,
                (float) c.doubleOr("rms_norm_eps", 1e-6),
                Activation.fromHfName(c.string("hidden_activation").orElse("gelu_pytorch_tanh"), c.source()),
                true, new TransformerSpec.Biases(bias, bias, false), true, attention, 0, c.intOr("pad_token_id", 0),
                c.boolOr("tie_word_embeddings", root.boolOr("tie_word_embeddings", true)), (float) Math.sqrt(hidden),
                (float) c.doubleOr("final_logit_softcapping", 0));
    }

    /** The decoder's keys: the config itself, or its {@code text_config} for a multimodal checkpoint. */
    private static HfConfig textConfig(HfConfig root) {
        if (!root.requireString("model_type").equals("gemma3")) {
            return root;
        }
        return root.object("text_config").orElseThrow(() -> root.error("text_config",
                "is missing: a multimodal gemma3 config keeps the decoder's settings there"));
    }

    private static List<LayerAttention> layerPatterns(HfConfig c, int layers) {
        List<Boolean> sliding = slidingLayers(c, layers);
        RopeSpec global;
        RopeSpec local;
        if (c.has("rope_parameters")) {
            HfConfig parameters = c.object("rope_parameters").orElseThrow();
            rejectMixedRopeForms(c);
            global = RopeSpec.fromParameters(parameters.object(FULL).orElseThrow(() -> parameters.error(FULL,
                    "is missing: rope_parameters must give one entry per layer type")), 1e6);
            local = RopeSpec.fromParameters(parameters.object(SLIDING).orElseThrow(() -> parameters.error(SLIDING,
                    "is missing: rope_parameters must give one entry per layer type")), 1e4);
        } else {
            global = RopeSpec.fromConfig(c, 1e6);
            local = new RopeSpec(c.doubleOr("rope_local_base_freq", 1e4), new RopeSpec.NoScaling());
        }
        int window = c.intOr("sliding_window", 4096);
        if (window < 1) {
            throw c.error("sliding_window", "must be at least 1");
        }
        List<LayerAttention> patterns = new ArrayList<>();
        for (boolean isSliding : sliding) {
            patterns.add(isSliding ? new LayerAttention(local, window) : new LayerAttention(global, 0));
        }
        return patterns;
    }

    /** Sliding or global per layer, from {@code layer_types} or {@code sliding_window_pattern}, which must agree. */
    private static List<Boolean> slidingLayers(HfConfig c, int layers) {
        int pattern = c.intOr("sliding_window_pattern", 6);
        if (pattern < 1) {
            throw c.error("sliding_window_pattern", "must be at least 1");
        }
        List<Boolean> fromPattern = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            fromPattern.add((i + 1) % pattern != 0);
        }
        JsonNode types = c.json().get("layer_types");
        if (types == null || types.isNull()) {
            return fromPattern;
        }
        if (!types.isArray() || types.size() != layers) {
            throw c.error("layer_types", "must list one type per layer: " + layers + " entries (num_hidden_layers), found "
                    + (types.isArray() ? types.size() : types.toString()));
        }
        List<Boolean> fromTypes = new ArrayList<>();
        for (JsonNode type : types) {
            String t = type.asText();
            if (!t.equals(SLIDING) && !t.equals(FULL)) {
                throw c.error("layer_types", "has unknown layer type '" + t + "' (expected " + SLIDING + " or " + FULL + ")");
            }
            fromTypes.add(t.equals(SLIDING));
        }
        if (c.has("sliding_window_pattern") && !fromTypes.equals(fromPattern)) {
            throw c.error("layer_types", "contradicts sliding_window_pattern=" + pattern + ": remove one of them");
        }
        return fromTypes;
    }

    private static void rejectMixedRopeForms(HfConfig c) {
        for (String key : List.of("rope_scaling", "rope_local_base_freq")) {
            if (c.has(key)) {
                throw c.error(key, "is given together with rope_parameters: keep only one form of the RoPE settings");
            }
        }
    }

    @Override
    public boolean ignorable(String name) {
        // the vision tower and projector of multimodal checkpoints; a saved copy of the tied head
        return name.contains("vision_tower.") || name.contains("multi_modal_projector.")
                || name.equals("lm_head.weight") || name.equals("language_model.lm_head.weight");
    }

    @Override
    public TransformerWeights bind(TransformerSpec s, WeightBinder checkpoint) {
        WeightBinder w = checkpoint.under(decoderPrefix(checkpoint));
        long h = s.hiddenSize();
        long qWidth = (long) s.numHeads() * s.headDim();
        long kvWidth = (long) s.numKvHeads() * s.headDim();
        long inter = s.intermediateSize();
        float eps = s.normEps();
        boolean bias = s.biases().qkv();
        List<BlockWeights> blocks = new ArrayList<>();
        for (int i = 0; i < s.numLayers(); i++) {
            String p = "layers." + i + ".";
            AttentionWeights attention = new AttentionWeights(
                    w.linear(p + "self_attn.q_proj", qWidth, h, bias),
                    w.linear(p + "self_attn.k_proj", kvWidth, h, bias),
                    w.linear(p + "self_attn.v_proj", kvWidth, h, bias),
                    w.linear(p + "self_attn.o_proj", h, qWidth, bias),
                    gemmaNorm(w, p + "self_attn.q_norm", s.headDim(), eps),
                    gemmaNorm(w, p + "self_attn.k_norm", s.headDim(), eps));
            MlpWeights mlp = new MlpWeights(w.linear(p + "mlp.gate_proj", inter, h, false),
                    w.linear(p + "mlp.up_proj", inter, h, false), w.linear(p + "mlp.down_proj", h, inter, false));
            blocks.add(new BlockWeights(gemmaNorm(w, p + "input_layernorm", h, eps), attention,
                    gemmaNorm(w, p + "pre_feedforward_layernorm", h, eps), mlp,
                    gemmaNorm(w, p + "post_attention_layernorm", h, eps),
                    gemmaNorm(w, p + "post_feedforward_layernorm", h, eps)));
        }
        var tokens = w.matrix("embed_tokens.weight", s.vocabSize(), h);
        if (!s.tiedEmbeddings()) {
            throw new ModelException("Gemma 3 ties its output embedding; this config sets tie_word_embeddings to false");
        }
        return new TransformerWeights(new EmbeddingWeights(tokens, null, null, null), blocks,
                gemmaNorm(w, "norm", h, eps), tokens);
    }

    /** Where the decoder's tensors live: text-only, older multimodal or newer multimodal layout. */
    private static String decoderPrefix(WeightBinder checkpoint) {
        for (String prefix : List.of("model.", "language_model.model.", "model.language_model.")) {
            if (checkpoint.has(prefix + "embed_tokens.weight")) {
                return prefix;
            }
        }
        throw new ModelException("no Gemma 3 decoder found: expected model.embed_tokens.weight (text-only), "
                + "language_model.model.embed_tokens.weight or model.language_model.embed_tokens.weight (multimodal)");
    }

    /** Gemma's RMSNorm scales by {@code 1 + w}; the sum is taken once here. */
    private static Norm gemmaNorm(WeightBinder w, String name, long width, float eps) {
        return new Norm.RmsNorm(w.tensor(name + ".weight", width).add(1f), eps);
    }
}
