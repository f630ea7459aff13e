package io.layerwise.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.models.ModelException;
import io.layerwise.models.weights.TensorDType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OnnxBertWeightsTest {
    private static OnnxModelFile model;
    private static OnnxBertWeights weights;

    @BeforeAll
    static void open() {
        model = OnnxModelFile.open(TestEncoders.miniLm());
        weights = OnnxBertWeights.of(model);
    }

    @Test
    void miniLmMapsToExactlyTheSixLayerBertStateDict() {
        assertThat(weights.layerCount()).isEqualTo(6);
        assertThat(weights.names()).containsExactlyInAnyOrderElementsOf(OnnxBertWeights.expectedNames(6));
        assertThat(weights.unmappedInitializers()).isEmpty();
    }

    @Test
    void infoReportsHuggingFaceShapes() {
        assertThat(shape("embeddings.word_embeddings.weight")).containsExactly(30522, 384);
        assertThat(shape("embeddings.position_embeddings.weight")).containsExactly(512, 384);
        assertThat(shape("embeddings.token_type_embeddings.weight")).containsExactly(2, 384);
        assertThat(shape("embeddings.LayerNorm.weight")).containsExactly(384);
        for (int layer = 0; layer < 6; layer++) {
            String p = "encoder.layer." + layer + ".";
            for (String qkv : List.of("query", "key", "value")) {
                assertThat(shape(p + "attention.self." + qkv + ".weight")).containsExactly(384, 384);
                assertThat(shape(p + "attention.self." + qkv + ".bias")).containsExactly(384);
            }
            assertThat(shape(p + "attention.output.dense.weight")).containsExactly(384, 384);
            assertThat(shape(p + "intermediate.dense.weight")).containsExactly(1536, 384);
            assertThat(shape(p + "intermediate.dense.bias")).containsExactly(1536);
            assertThat(shape(p + "output.dense.weight")).containsExactly(384, 1536);
            assertThat(shape(p + "output.LayerNorm.bias")).containsExactly(384);
        }
        assertThat(weights.info("encoder.layer.0.output.dense.weight").dtype()).isEqualTo(TensorDType.F32);
    }

    @Test
    void linearWeightLoadsAsTransposeOfTheMatMulOperand() {
        OnnxInitializer operand = matMulOperand("/encoder/layer.3/intermediate/dense/MatMul");
        assertThat(operand.dims()).containsExactly(384, 1536);
        FloatBuffer in = operand.data().asFloatBuffer();

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = weights.load("encoder.layer.3.intermediate.dense.weight", manager);
            assertThat(w.getShape().getShape()).containsExactly(1536, 384);
            float[] loaded = w.toFloatArray();
            for (int i = 0; i < 384; i++) {
                for (int o = 0; o < 1536; o++) {
                    if (loaded[o * 384 + i] != in.get(i * 1536 + o)) {
                        throw new AssertionError("W[" + o + "][" + i + "] differs from the ONNX operand");
                    }
                }
            }
            // Row-major [out, in] semantics under DJL ops: row o of W is column o of the operand.
            float[] row = w.get(5).toFloatArray();
            for (int i = 0; i < 384; i++) {
                assertThat(row[i]).isEqualTo(in.get(i * 1536 + 5));
            }
        }
    }

    @Test
    void biasLoadsUnchanged() {
        OnnxInitializer bias = model.initializer("encoder.layer.2.output.dense.bias").orElseThrow();
        float[] expected = new float[384];
        bias.data().asFloatBuffer().get(expected);
        try (NDManager manager = NDManager.newBaseManager()) {
            assertThat(weights.load("encoder.layer.2.output.dense.bias", manager).toFloatArray()).isEqualTo(expected);
        }
    }

    @Test
    void missingNameFailsWithModelExceptionNamingTensorAndFile() {
        assertThatThrownBy(() -> weights.info("pooler.dense.weight"))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("pooler.dense.weight")
                .hasMessageContaining(model.path().toString());
    }

    @Test
    void fingerprintIsSha256OfTheOnnxFileBytes() throws IOException, NoSuchAlgorithmException {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(Files.newInputStream(model.path()), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        assertThat(weights.fingerprint()).isEqualTo("sha256:" + HexFormat.of().formatHex(digest.digest()));
    }

    /** Runs for every bundled encoder whose jar is on the classpath (MiniLM always, in tests). */
    @Test
    void shippedConfigOfEachAvailableEncoderMatchesItsOnnxWeights() throws IOException {
        List<BundledEncoder> available = Arrays.stream(BundledEncoder.values()).filter(BundledEncoder::isAvailable).toList();
        assertThat(available).contains(BundledEncoder.ALL_MINILM_L6_V2);
        for (BundledEncoder encoder : available) {
            Path dir = TestEncoders.directory(encoder);
            OnnxBertWeights w = OnnxBertWeights.open(dir.resolve(BundledEncoder.MODEL_FILE));
            JsonNode config = new ObjectMapper().readTree(dir.resolve(BundledEncoder.CONFIG_FILE).toFile());
            int layers = config.get("num_hidden_layers").asInt();
            int hidden = config.get("hidden_size").asInt();

            assertThat(w.layerCount()).as(encoder.modelName()).isEqualTo(layers);
            assertThat(w.names()).as(encoder.modelName())
                    .containsExactlyInAnyOrderElementsOf(OnnxBertWeights.expectedNames(layers));
            assertThat(w.unmappedInitializers()).as(encoder.modelName()).isEmpty();
            assertThat(w.info("embeddings.word_embeddings.weight").shape())
                    .containsExactly(config.get("vocab_size").asLong(), hidden);
            assertThat(w.info("embeddings.position_embeddings.weight").shape())
                    .containsExactly(config.get("max_position_embeddings").asLong(), hidden);
            assertThat(w.info("embeddings.token_type_embeddings.weight").shape())
                    .containsExactly(config.get("type_vocab_size").asLong(), hidden);
            assertThat(w.info("encoder.layer.0.intermediate.dense.weight").shape())
                    .containsExactly(config.get("intermediate_size").asLong(), hidden);
            assertThat(hidden % config.get("num_attention_heads").asInt()).isZero();
            assertThat(config.get("architectures").get(0).asText()).isEqualTo("BertModel");
            assertThat(config.get("layer_norm_eps").asDouble()).isEqualTo(1e-12);
        }
    }

    private static long[] shape(String name) {
        return weights.info(name).shape();
    }

    private static OnnxInitializer matMulOperand(String nodeName) {
        OnnxNode node = model.nodes().stream().filter(n -> n.name().equals(nodeName)).findFirst().orElseThrow();
        return model.initializer(node.inputs().get(1)).orElseThrow();
    }
}
