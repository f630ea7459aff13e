package io.layerwise.trainers.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.models.runtime.ChannelPruning;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.TensorInfo;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** PPsp importance against hand computations: a 2 x 2 example, and the Llama fixture's o_proj read straight from its file. */
class ProbeImportanceTest {
    static final Path FIXTURES = Path.of(System.getProperty("layerwise.shared", "../shared")).resolve("fixtures");

    @Test
    void blendAndScoreMatchTheHandComputation() {
        // W = [[1, 2], [3, 4]] ([out, channels]); probe p = [1, 0], general history g = [1, 2]
        // r = p / (p + g + 1e-6) = [~0.5, 0]: E = [1, 2]
        double[] energy = ProbeImportance.blend(new float[] {1, 0}, new float[] {1, 2}, null);
        assertThat(energy[0]).isCloseTo(1.0, within(1e-6));
        assertThat(energy[1]).isEqualTo(2.0);
        double[] norms = ProbeImportance.columnNorms(new float[] {1, 2, 3, 4}, 2, 2);
        // ||W[:,0]^2|| = sqrt(1 + 81), ||W[:,1]^2|| = sqrt(16 + 256)
        assertThat(norms).containsExactly(new double[] {Math.sqrt(82), Math.sqrt(272)}, within(1e-12));
        double[] scores = ProbeImportance.channelImportance(energy, norms);
        assertThat(scores[0]).isCloseTo(Math.sqrt(82), within(1e-5));
        assertThat(scores[1]).isCloseTo(2 * Math.sqrt(272), within(1e-9));
        // one head of both channels: the L2 norm of the two scores
        assertThat(ProbeImportance.headImportance(scores, 2)[0])
                .isCloseTo(Math.sqrt(82 + 4 * 272), within(1e-4));
        // a fixed ratio 0.25: E = 0.25 p + 0.75 g
        assertThat(ProbeImportance.blend(new float[] {4, 0}, new float[] {0, 8}, 0.25)).containsExactly(1.0, 6.0);
    }

    @Test
    void headScoresOnTheLlamaFixtureEqualAHandLoopOverItsOutputProjection() {
        Path llama = FIXTURES.resolve("llama");
        SafetensorsFile file = SafetensorsFile.open(llama.resolve("model.safetensors"));
        TensorInfo info = file.tensor("model.layers.1.self_attn.o_proj.weight");
        FloatBuffer w = file.map(info).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int hidden = (int) info.shape()[0];
        int channels = (int) info.shape()[1];
        float[] probe = new float[channels];
        float[] history = new float[channels];
        for (int j = 0; j < channels; j++) {
            probe[j] = (j % 7) * 0.3f;
            history[j] = 1f + (j % 5) * 0.1f;
        }
        double[] expectedHeads = new double[4];
        for (int j = 0; j < channels; j++) {
            double r = probe[j] / (probe[j] + history[j] + 1e-6);
            double e = r * probe[j] + (1 - r) * history[j];
            double sum = 0;
            for (int i = 0; i < hidden; i++) {
                double term = e * w.get(i * channels + j) * w.get(i * channels + j);
                sum += term * term;
            }
            expectedHeads[j / 16] += sum; // ||.||_2 over the head's channels and the output dimension
        }
        try (FrozenTransformer model = FrozenTransformer.load(llama)) {
            double[] norms = ProbeImportance.columnNorms(ChannelPruning.attentionOutputWeight(model, 1), hidden, channels);
            double[] heads = ProbeImportance.headImportance(
                    ProbeImportance.channelImportance(ProbeImportance.blend(probe, history, null), norms), 16);
            for (int h = 0; h < 4; h++) {
                assertThat(heads[h]).isCloseTo(Math.sqrt(expectedHeads[h]), within(1e-9 * Math.sqrt(expectedHeads[h])));
            }
        }
    }
}
