package io.layerwise.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxEncoderReferenceTest {
    /** [CLS] hello world [SEP] [PAD] [PAD] and [CLS] this is a test [SEP] in the MiniLM vocabulary. */
    private static final long[][] IDS = {{101, 7592, 2088, 102, 0, 0}, {101, 2023, 2003, 1037, 3231, 102}};
    private static final long[][] MASK = {{1, 1, 1, 1, 0, 0}, {1, 1, 1, 1, 1, 1}};

    private static OnnxEncoderReference reference;
    private static float[][][][] hidden;

    @BeforeAll
    static void run() {
        reference = new OnnxEncoderReference(TestEncoders.miniLm(), 2);
        hidden = reference.hiddenStates(IDS, MASK);
    }

    @AfterAll
    static void close() {
        reference.close();
    }

    @Test
    void paddedBatchYieldsEmbeddingsPlusSixLayersOfBatchBySeqBy384() {
        assertThat(reference.layerCount()).isEqualTo(6);
        assertThat(hidden).hasNumberOfRows(7);
        for (float[][][] state : hidden) {
            assertThat(state).hasNumberOfRows(2);
            for (float[][] row : state) {
                assertThat(row).hasNumberOfRows(6);
                for (float[] token : row) {
                    assertThat(token).hasSize(384);
                }
            }
        }
        assertThat(hidden[1][0][0]).isNotEqualTo(hidden[0][0][0]);
    }

    @Test
    void hiddenStatesAreTheEmbeddingAndPerLayerLayerNormOutputs() {
        assertThat(reference.hiddenStateNames()).containsExactly(
                "/embeddings/LayerNorm/Add_1_output_0",
                "/encoder/layer.0/output/LayerNorm/Add_1_output_0",
                "/encoder/layer.1/output/LayerNorm/Add_1_output_0",
                "/encoder/layer.2/output/LayerNorm/Add_1_output_0",
                "/encoder/layer.3/output/LayerNorm/Add_1_output_0",
                "/encoder/layer.4/output/LayerNorm/Add_1_output_0",
                "last_hidden_state");
    }

    @Test
    void paddingLeavesTheHiddenStatesOfRealTokensUnchanged() {
        float[][][][] alone = reference.hiddenStates(new long[][] {{101, 7592, 2088, 102}}, new long[][] {{1, 1, 1, 1}});
        for (int layer = 0; layer < hidden.length; layer++) {
            for (int t = 0; t < 4; t++) {
                for (int d = 0; d < 384; d++) {
                    assertThat(hidden[layer][0][t][d]).isCloseTo(alone[layer][0][t][d], within(1e-4f));
                }
            }
        }
    }

    /** Independent of ONNX Runtime: LayerNorm(word + position + token_type[0]), eps 1e-12, from the converted weights. */
    @Test
    void embeddingLayerNormFromConvertedWeightsMatchesLayerZeroOfOnnxRuntime() {
        OnnxBertWeights weights = OnnxBertWeights.open(TestEncoders.miniLm());
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] gamma = weights.load("embeddings.LayerNorm.weight", manager).toFloatArray();
            float[] beta = weights.load("embeddings.LayerNorm.bias", manager).toFloatArray();
            float[] tokenType0 = weights.load("embeddings.token_type_embeddings.weight", manager).get(0).toFloatArray();
            var words = weights.load("embeddings.word_embeddings.weight", manager);
            var positions = weights.load("embeddings.position_embeddings.weight", manager);
            for (int b = 0; b < IDS.length; b++) {
                for (int t = 0; t < IDS[b].length; t++) {
                    float[] word = words.get(IDS[b][t]).toFloatArray();
                    float[] position = positions.get(t).toFloatArray();
                    double[] x = new double[384];
                    double mean = 0;
                    for (int d = 0; d < 384; d++) {
                        x[d] = (double) word[d] + position[d] + tokenType0[d];
                        mean += x[d] / 384;
                    }
                    double variance = 0;
                    for (int d = 0; d < 384; d++) {
                        variance += (x[d] - mean) * (x[d] - mean) / 384;
                    }
                    double scale = 1 / Math.sqrt(variance + 1e-12);
                    for (int d = 0; d < 384; d++) {
                        double expected = (x[d] - mean) * scale * gamma[d] + beta[d];
                        assertThat((double) hidden[0][b][t][d]).isCloseTo(expected, within(1e-4));
                    }
                }
            }
        }
    }
}
