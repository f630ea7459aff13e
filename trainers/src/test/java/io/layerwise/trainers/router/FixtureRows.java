package io.layerwise.trainers.router;

import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.nd4j.linalg.factory.Nd4j;

/** Test rows straight from a forward pass over equal-length token sequences (the fixtures have no tokenizer). */
final class FixtureRows {
    private FixtureRows() {}

    static List<long[]> randomSequences(int count, int length, int vocab, long seed) {
        Random random = new Random(seed);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long[] ids = new long[length];
            for (int t = 0; t < length; t++) {
                ids[t] = 3 + random.nextInt(vocab - 3);
            }
            out.add(ids);
        }
        return out;
    }

    static LayerData collect(FrozenTransformer model, List<long[]> sequences, int layer) {
        int hidden = model.spec().hiddenSize();
        int width = model.spec().attentionWidth();
        try (ForwardResult r = model.forward(TokenBatch.of(sequences, PaddingSide.RIGHT, 0),
                Taps.of(TapKind.ATTENTION_INPUT, TapKind.HEAD_OUTPUTS).onLayers(layer))) {
            float[] x = r.attentionInput(layer).toFloatArray();
            float[] o = r.headOutputs(layer).toFloatArray();
            int tokens = x.length / hidden;
            return new LayerData(layer, Nd4j.create(x, new long[] {tokens, hidden}, 'c'),
                    Nd4j.create(o, new long[] {tokens, width}, 'c'),
                    Nd4j.create(model.attentionOutputWeight(layer), new long[] {hidden, width}, 'c'),
                    model.spec().numHeads());
        }
    }
}
