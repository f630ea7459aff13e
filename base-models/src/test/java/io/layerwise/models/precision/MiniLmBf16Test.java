package io.layerwise.models.precision;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.bench.SampleSentences;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import io.layerwise.models.runtime.Workload;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bundled MiniLM encoder (float32 ONNX weights, rounded to bf16 at load) in {@code bf16}
 * against {@code f32}: the activations a probe would be trained on, every hidden state of every
 * real token within 2e-2 relative error. (The probe-F1 comparison needs the probe trainer.)
 */
class MiniLmBf16Test {

    @Test
    void miniLmHiddenStatesInBf16StayWithinTwoPercentOfF32() {
        List<String> texts = SampleSentences.all().subList(0, 8);
        try (FrozenTransformer f32 = ModelLoader.load("all-minilm-l6-v2", Precision.F32, Workload.minimal());
             FrozenTransformer bf16 = ModelLoader.load("all-minilm-l6-v2", Precision.BF16, Workload.minimal())) {
            TokenBatch batch = f32.tokenize(texts, 0, PaddingSide.RIGHT);
            double worst = 0;
            try (ForwardResult exact = f32.forward(batch, Taps.of(TapKind.RESIDUAL));
                 ForwardResult fast = bf16.forward(batch, Taps.of(TapKind.RESIDUAL))) {
                int hidden = f32.spec().hiddenSize();
                for (int layer = 0; layer <= f32.spec().numLayers(); layer++) {
                    float[] e = exact.residual(layer).toFloatArray();
                    float[] a = fast.residual(layer).toFloatArray();
                    double num = 0;
                    double den = 0;
                    for (int b = 0; b < batch.size(); b++) {
                        for (int t = 0; t < batch.length(b); t++) {
                            for (int j = 0; j < hidden; j++) {
                                int i = (b * batch.width() + t) * hidden + j;
                                num += Math.pow((double) a[i] - e[i], 2);
                                den += Math.pow(e[i], 2);
                            }
                        }
                    }
                    double error = Math.sqrt(num / den);
                    assertThat(error).as("hidden_states.%d", layer).isLessThanOrEqualTo(2e-2);
                    worst = Math.max(worst, error);
                }
            }
            System.out.printf("all-minilm-l6-v2: bf16 vs f32 worst hidden-state relative error %.2e%n", worst);
        }
    }
}
