package io.layerwise.trainers.directions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.TensorInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Difference-of-means directions against the hidden states Hugging Face computed for the Qwen3
 * fixture: with one prompt per class, the direction at each layer is the normalized difference of
 * the two prompts' last-token residuals (in the batch, the shorter prompt is left-padded).
 */
class MeanDifferenceDirectionsTest {
    private static final Path FIXTURE = Path.of(System.getProperty("layerwise.shared", "../shared"))
            .resolve("fixtures/qwen3");

    @Test
    void directionIsTheNormalizedDifferenceOfClassMeansAtTheLastToken() {
        SafetensorsFile reference = SafetensorsFile.open(FIXTURE.resolve("reference.safetensors"));
        long[] seq0 = longs(reference, "seq0.input_ids");
        long[] seq1 = longs(reference, "seq1.input_ids");
        try (FrozenTransformer model = FrozenTransformer.load(FIXTURE)) {
            MeanDifferenceDirections d = MeanDifferenceDirections.fit(model, List.of(seq0), List.of(seq1), 2);
            assertThat(d.directions()).hasNumberOfRows(3);
            for (int layer = 0; layer <= 1; layer++) {
                float[] h0 = floats(reference, "seq0.hidden_states." + layer);
                float[] h1 = floats(reference, "seq1.hidden_states." + layer);
                double[] expected = new double[64];
                double norm = 0;
                for (int j = 0; j < 64; j++) {
                    expected[j] = h0[(seq0.length - 1) * 64 + j] - h1[(seq1.length - 1) * 64 + j];
                    norm += expected[j] * expected[j];
                }
                for (int j = 0; j < 64; j++) {
                    assertThat((double) d.directions()[layer][j]).isCloseTo(expected[j] / Math.sqrt(norm), within(1e-4));
                }
            }
        }
    }

    private static long[] longs(SafetensorsFile file, String name) {
        TensorInfo info = file.tensor(name);
        long[] out = new long[(int) info.numel()];
        file.map(info).asLongBuffer().get(out);
        return out;
    }

    private static float[] floats(SafetensorsFile file, String name) {
        TensorInfo info = file.tensor(name);
        float[] out = new float[(int) info.numel()];
        file.map(info).asFloatBuffer().get(out);
        return out;
    }
}
