package io.layerwise.models.bench;

import io.layerwise.models.onnx.BundledEncoder;
import io.layerwise.models.onnx.OnnxEncoderReference;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.NativeThreads;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.nio.file.Path;
import java.util.List;

/**
 * Checks a bundled encoder run through Layerwise's BERT path against ONNX Runtime running the very
 * same ONNX file with every layer's hidden state exposed: the largest absolute difference over all
 * hidden states (embeddings included) of every real token, on texts in right-padded batches.
 *
 * <pre>{@code
 * double error = EncoderParity.maxAbsError("all-minilm-l6-v2", SampleSentences.all(), 8);
 * }</pre>
 */
public final class EncoderParity {
    private EncoderParity() {}

    public static double maxAbsError(String encoder, List<String> texts, int batchSize) {
        int threads = NativeThreads.configure();
        Path onnx = BundledEncoder.byName(encoder)
                .orElseThrow(() -> new IllegalArgumentException("not a bundled encoder: " + encoder))
                .materialize().resolve(BundledEncoder.MODEL_FILE);
        double worst = 0;
        try (FrozenTransformer model = ModelLoader.load(encoder);
             OnnxEncoderReference reference = new OnnxEncoderReference(onnx, threads)) {
            int layers = model.spec().numLayers();
            int hidden = model.spec().hiddenSize();
            for (int start = 0; start < texts.size(); start += batchSize) {
                TokenBatch batch = model.tokenize(texts.subList(start, Math.min(texts.size(), start + batchSize)), 0,
                        PaddingSide.RIGHT);
                float[][][][] expected = reference.hiddenStates(batch.ids(), longMask(batch));
                try (ForwardResult r = model.forward(batch, Taps.of(TapKind.RESIDUAL))) {
                    for (int layer = 0; layer <= layers; layer++) {
                        float[] actual = r.residual(layer).toFloatArray();
                        for (int b = 0; b < batch.size(); b++) {
                            for (int t = 0; t < batch.length(b); t++) {
                                for (int j = 0; j < hidden; j++) {
                                    float a = actual[(b * batch.width() + t) * hidden + j];
                                    worst = Math.max(worst, Math.abs(a - expected[layer][b][t][j]));
                                }
                            }
                        }
                    }
                }
            }
        }
        return worst;
    }

    /** The batch's attention mask in the int64 form ONNX encoders take. */
    static long[][] longMask(TokenBatch batch) {
        long[][] mask = new long[batch.size()][batch.width()];
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t < batch.width(); t++) {
                mask[b][t] = batch.mask()[b][t];
            }
        }
        return mask;
    }
}
