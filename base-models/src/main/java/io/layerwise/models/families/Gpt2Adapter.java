package io.layerwise.models.families;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.layerwise.models.config.AttentionSpec;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.config.TransformerSpec.BlockLayout;
import io.layerwise.models.nn.Activation;
import io.layerwise.models.nn.AttentionWeights;
import io.layerwise.models.nn.BlockWeights;
import io.layerwise.models.nn.EmbeddingWeights;
import io.layerwise.models.nn.Linear;
import io.layerwise.models.nn.MlpWeights;
import io.layerwise.models.nn.TransformerWeights;
import io.layerwise.models.precision.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2: learned absolute positions, pre-norm LayerNorm blocks, a fused {@code c_attn} for q|k|v and
 * {@code Conv1D} weights stored {@code [in, out]} (bound here as transposed views, no copy), tanh GELU,
 * tied output embedding unless the config says otherwise ({@code tie_word_embeddings} defaults to true).
 */
final class Gpt2Adapter implements ArchitectureAdapter {

    @Override
    public TransformerSpec spec(HfConfig c) {
        int hidden = c.requireInt("n_embd");
        int heads = c.requireInt("n_head");
        if (heads == 0 || hidden % heads != 0) {
            throw c.error("n_head", "must divide n_embd=" + hidden);
        }
        long pad = c.intOr("pad_token_id", c.intOr("eos_token_id", 0));
        int layers = c.requireInt("n_layer");
        return new TransformerSpec("gpt2", hidden, layers, heads, heads, hidden / heads,
                c.intOr("n_inner", 4 * hidden), c.requireInt("vocab_size"), c.intOr("n_positions", 1024),
                BlockLayout.PRE_NORM, (float) c.doubleOr("layer_norm_epsilon", 1e-5),
                Activation.fromHfName(c.string("activation_function").orElse("gelu_new"), c.source()),
                false, TransformerSpec.Biases.ALL, true, AttentionSpec.uniform(layers, hidden / heads, null), 0, pad,
                c.boolOr("tie_word_embeddings", true), 1f, 0f);
    }

    @Override
    public boolean ignorable(String name) {
        // causal-mask buffers that old checkpoints saved
        return name.endsWith(".attn.bias") || name.endsWith(".attn.masked_bias");
    }

    @Override
    public TransformerWeights bind(TransformerSpec s, WeightBinder checkpoint) {
        WeightBinder w = checkpoint.has("transformer.wte.weight") ? checkpoint.under("transformer.") : checkpoint;
        long h = s.hiddenSize();
        WeightMatrix tokens = w.matrix("wte.weight", s.vocabSize(), h);
        EmbeddingWeights embeddings = new EmbeddingWeights(tokens, w.tensor("wpe.weight", s.maxPositions(), h), null, null);
        List<BlockWeights> blocks = new ArrayList<>();
        for (int i = 0; i < s.numLayers(); i++) {
            String p = "h." + i + ".";
            WeightMatrix qkv = w.matrix(p + "attn.c_attn.weight", h, 3 * h).transpose();
            NDArray qkvBias = w.tensor(p + "attn.c_attn.bias", 3 * h);
            AttentionWeights attention = new AttentionWeights(
                    slice(qkv, qkvBias, 0, h), slice(qkv, qkvBias, h, 2 * h), slice(qkv, qkvBias, 2 * h, 3 * h),
                    conv1d(w, p + "attn.c_proj", h, h), null, null);
            MlpWeights mlp = new MlpWeights(null, conv1d(w, p + "mlp.c_fc", h, s.intermediateSize()),
                    conv1d(w, p + "mlp.c_proj", s.intermediateSize(), h));
            blocks.add(new BlockWeights(w.layerNorm(p + "ln_1", h, s.normEps()), attention,
                    w.layerNorm(p + "ln_2", h, s.normEps()), mlp));
        }
        return new TransformerWeights(embeddings, blocks, w.layerNorm("ln_f", h, s.normEps()),
                OutputEmbedding.bind(checkpoint, tokens, s));
    }

    /** Rows {@code [from, to)} of the fused weight seen as {@code [3H, in]}: an {@code [out, in]} view. */
    private static Linear slice(WeightMatrix qkv, NDArray bias, long from, long to) {
        return new Linear(qkv.narrowRows(from, to - from), bias.get(new NDIndex("{}:{}", from, to)));
    }

    private static Linear conv1d(WeightBinder w, String name, long in, long out) {
        return new Linear(w.matrix(name + ".weight", in, out).transpose(), w.tensor(name + ".bias", out));
    }
}
