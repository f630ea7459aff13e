package io.layerwise.models.families;

import io.layerwise.models.config.AttentionSpec;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.config.TransformerSpec.BlockLayout;
import io.layerwise.models.nn.Activation;
import io.layerwise.models.nn.AttentionWeights;
import io.layerwise.models.nn.BlockWeights;
import io.layerwise.models.nn.EmbeddingWeights;
import io.layerwise.models.nn.MlpWeights;
import io.layerwise.models.nn.TransformerWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * BERT-style encoders (BERT, MiniLM, BGE, E5): word + absolute position + token-type embeddings
 * under a LayerNorm, post-norm blocks with bidirectional attention, exact-erf GELU. Checkpoints of
 * {@code BertFor*} classes carry a {@code bert.} prefix; their task heads ({@code cls.*},
 * classifiers) and the pooler are not part of the encoder and are skipped.
 */
final class BertAdapter implements ArchitectureAdapter {

    @Override
    public TransformerSpec spec(HfConfig c) {
        String positions = c.string("position_embedding_type").orElse("absolute");
        if (!positions.equals("absolute")) {
            throw c.error("position_embedding_type", "is '" + positions + "'; only 'absolute' is supported");
        }
        int hidden = c.requireInt("hidden_size");
        int heads = c.requireInt("num_attention_heads");
        if (heads == 0 || hidden % heads != 0) {
            throw c.error("num_attention_heads", "must divide hidden_size=" + hidden);
        }
        int layers = c.requireInt("num_hidden_layers");
        return new TransformerSpec("bert", hidden, layers, heads, heads, hidden / heads,
                c.requireInt("intermediate_size"), c.requireInt("vocab_size"),
                c.intOr("max_position_embeddings", 512), BlockLayout.POST_NORM,
                (float) c.doubleOr("layer_norm_eps", 1e-12),
                Activation.fromHfName(c.string("hidden_act").orElse("gelu"), c.source()),
                false, TransformerSpec.Biases.ALL, false, AttentionSpec.uniform(layers, hidden / heads, null),
                c.intOr("type_vocab_size", 2), c.intOr("pad_token_id", 0), false, 1f, 0f);
    }

    @Override
    public boolean ignorable(String name) {
        String local = name.startsWith("bert.") ? name.substring(5) : name;
        return local.startsWith("pooler.") || local.startsWith("cls.") || local.startsWith("classifier.")
                || local.equals("embeddings.position_ids") || local.equals("embeddings.token_type_ids");
    }

    @Override
    public TransformerWeights bind(TransformerSpec s, WeightBinder checkpoint) {
        WeightBinder w = checkpoint.has("bert.embeddings.word_embeddings.weight") ? checkpoint.under("bert.") : checkpoint;
        long h = s.hiddenSize();
        long inter = s.intermediateSize();
        float eps = s.normEps();
        EmbeddingWeights embeddings = new EmbeddingWeights(
                w.matrix("embeddings.word_embeddings.weight", s.vocabSize(), h),
                w.tensor("embeddings.position_embeddings.weight", s.maxPositions(), h),
                w.tensor("embeddings.token_type_embeddings.weight", s.typeVocabSize(), h),
                w.layerNorm("embeddings.LayerNorm", h, eps));
        List<BlockWeights> blocks = new ArrayList<>();
        for (int i = 0; i < s.numLayers(); i++) {
            String p = "encoder.layer." + i + ".";
            AttentionWeights attention = new AttentionWeights(
                    w.linear(p + "attention.self.query", h, h, true),
                    w.linear(p + "attention.self.key", h, h, true),
                    w.linear(p + "attention.self.value", h, h, true),
                    w.linear(p + "attention.output.dense", h, h, true), null, null);
            MlpWeights mlp = new MlpWeights(null, w.linear(p + "intermediate.dense", inter, h, true),
                    w.linear(p + "output.dense", h, inter, true));
            blocks.add(new BlockWeights(w.layerNorm(p + "attention.output.LayerNorm", h, eps), attention,
                    w.layerNorm(p + "output.LayerNorm", h, eps), mlp));
        }
        return new TransformerWeights(embeddings, blocks, null, null);
    }
}
