package io.layerwise.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.models.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OnnxModelFileTest {
    private static Path miniLm;
    private static OnnxModelFile model;

    @BeforeAll
    static void open() {
        miniLm = TestEncoders.miniLm();
        model = OnnxModelFile.open(miniLm);
    }

    @Test
    void miniLmGraphHasBertInputsOneOutputAndThirtySixUnnamedMatMulWeights() {
        assertThat(model.inputs()).containsExactly("input_ids", "attention_mask", "token_type_ids");
        assertThat(model.outputs()).containsExactly("last_hidden_state");
        assertThat(model.initializers()).filteredOn(i -> i.name().startsWith("onnx::MatMul_")).hasSize(36);

        OnnxInitializer words = model.initializer("embeddings.word_embeddings.weight").orElseThrow();
        assertThat(words.dims()).containsExactly(30522, 384);
        assertThat(words.isFloat()).isTrue();
        assertThat(words.data().remaining()).isEqualTo(30522L * 384 * Float.BYTES);

        OnnxNode query = model.nodes().stream()
                .filter(n -> n.name().equals("/encoder/layer.0/attention/self/query/MatMul"))
                .findFirst().orElseThrow();
        assertThat(query.opType()).isEqualTo("MatMul");
        assertThat(query.inputs()).containsExactly("/embeddings/LayerNorm/Add_1_output_0", "onnx::MatMul_787");
    }

    @Test
    void initializerDataIsTheRawBytesAtItsFileOffset() throws IOException {
        OnnxInitializer bias = model.initializer("encoder.layer.0.attention.self.query.bias").orElseThrow();
        byte[] expected = new byte[bias.data().remaining()];
        try (FileChannel channel = FileChannel.open(miniLm)) {
            channel.read(java.nio.ByteBuffer.wrap(expected), bias.fileOffset());
        }
        byte[] actual = new byte[expected.length];
        bias.data().get(actual);
        assertThat(actual).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.0000001, 0.00001, 0.5, 0.9999999})
    void truncatedFileFailsWithModelExceptionNamingTheFile(double fraction, @TempDir Path dir) throws IOException {
        long size = Files.size(miniLm);
        long keep = (long) (size * fraction);
        Path truncated = dir.resolve("truncated.onnx");
        try (InputStream in = Files.newInputStream(miniLm); OutputStream out = Files.newOutputStream(truncated)) {
            out.write(in.readNBytes((int) keep));
        }

        assertThatThrownBy(() -> OnnxModelFile.open(truncated))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(truncated.toString())
                .hasMessageContaining("corrupt ONNX file");
    }

    @Test
    void textFileFailsWithModelExceptionNamingTheFile(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.onnx");
        Files.writeString(text, "{\"this is\": \"not a protobuf message\"}\n", StandardCharsets.UTF_8);

        assertThatThrownBy(() -> OnnxModelFile.open(text))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(text.toString());
    }

    @Test
    void lengthBeyondTheFileIsRejectedBeforeAnyAllocation(@TempDir Path dir) throws IOException {
        // Field 7 (graph), length-delimited, claiming 2^31 - 1 bytes in a 6-byte file.
        Path bogus = dir.resolve("huge-claim.onnx");
        Files.write(bogus, new byte[] {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07});

        assertThatThrownBy(() -> OnnxModelFile.open(bogus))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining(bogus.toString())
                .hasMessageContaining("claims 2147483647 bytes");
    }

    @Test
    void extraOutputsReparseAsOutputsMergedIntoTheGraph(@TempDir Path dir) throws IOException {
        List<String> extra = List.of("/embeddings/LayerNorm/Add_1_output_0",
                "/encoder/layer.0/output/LayerNorm/Add_1_output_0");
        Path tapped = dir.resolve("tapped.onnx");
        try (FileChannel out = FileChannel.open(tapped, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(model.withExtraOutputs(extra));
        }

        OnnxModelFile reparsed = OnnxModelFile.open(tapped);
        assertThat(reparsed.outputs()).containsExactly("last_hidden_state", extra.get(0), extra.get(1));
        assertThat(reparsed.nodes()).hasSameSizeAs(model.nodes());
        assertThat(reparsed.initializers()).hasSameSizeAs(model.initializers());
    }

    @Test
    void extraOutputMustBeProducedByANodeAndNotAlreadyAnOutput() {
        assertThatThrownBy(() -> model.withExtraOutputs(List.of("no/such/tensor")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("no node produces it");
        assertThatThrownBy(() -> model.withExtraOutputs(List.of("last_hidden_state")))
                .isInstanceOf(ModelException.class)
                .hasMessageContaining("already a graph output");
    }
}
