package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.bench.SampleSentences;
import io.layerwise.models.onnx.BundledEncoder;
import io.layerwise.models.onnx.OnnxEncoderReference;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The real all-MiniLM-L6-v2 (its Maven artifact's ONNX file) through the Java BERT path agrees with
 * ONNX Runtime running the same file, with every layer's hidden state exposed as a graph output:
 * 30 real sentences of 2 to 45 words, in padded batches.
 */
class MiniLmOnnxRuntimeParityTest {

    @Test
    void everyHiddenStateMatchesOnnxRuntimeOnPaddedBatchesOfRealSentences() {
        List<String> sentences = SampleSentences.all();
        assertThat(sentences).hasSizeGreaterThanOrEqualTo(20);
        Path onnx = BundledEncoder.byName("all-minilm-l6-v2").orElseThrow().materialize().resolve(BundledEncoder.MODEL_FILE);
        try (FrozenTransformer model = ModelLoader.load("all-minilm-l6-v2");
             OnnxEncoderReference reference = new OnnxEncoderReference(onnx, 2)) {
            assertThat(model.spec().numLayers()).isEqualTo(6);
            double worst = 0;
            for (int start = 0; start < sentences.size(); start += 8) {
                List<String> chunk = sentences.subList(start, Math.min(sentences.size(), start + 8));
                TokenBatch batch = model.tokenize(chunk, 0, PaddingSide.RIGHT);
                long[][] mask = new long[batch.size()][batch.width()];
                for (int b = 0; b < batch.size(); b++) {
                    for (int t = 0; t < batch.width(); t++) {
                        mask[b][t] = batch.mask()[b][t];
                    }
                }
                float[][][][] expected = reference.hiddenStates(batch.ids(), mask);
                try (ForwardResult r = model.forward(batch, Taps.of(TapKind.RESIDUAL))) {
                    for (int layer = 0; layer <= 6; layer++) {
                        float[] actual = r.residual(layer).toFloatArray();
                        int hidden = 384;
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
            assertThat(worst).as("max abs error over all hidden states of all real tokens").isLessThanOrEqualTo(1e-4);
        }
    }
}
