package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.models.ModelException;
import io.layerwise.models.testing.CheckpointCopies;
import io.layerwise.models.testing.ForwardOutputs;
import io.layerwise.models.testing.CheckpointCopies.Tensor;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import io.layerwise.models.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading checkpoints in every weight dtype and layout, and the errors for broken ones. */
class CheckpointLoadingTest {
    private static final Path LLAMA = SharedFiles.fixture("llama");
    private static final long[] SEQ0 = {1, 17, 42, 256, 3, 99, 128};

    @TempDir
    Path temp;

    @Test
    void bf16CheckpointEqualsF32ModelWithBf16RoundedWeights() {
        List<Tensor> tensors = CheckpointCopies.readAll(LLAMA);
        Path bf16 = copy("bf16", tensors, TensorDType.BF16);
        List<Tensor> rounded = tensors.stream()
                .map(t -> new Tensor(t.name(), t.shape(), CheckpointCopies.roundedToBf16(t.values()))).toList();
        Path roundedF32 = copy("rounded", rounded, TensorDType.F32);
        float[][] fromBf16 = allOutputs(bf16);
        float[][] fromRounded = allOutputs(roundedF32);
        for (int i = 0; i < fromBf16.length; i++) {
            assertThat(ReferenceTensors.maxAbsDiff(fromRounded[i], fromBf16[i])).as("output " + i).isLessThanOrEqualTo(1e-5);
        }
        // and within bf16 tolerance of Hugging Face's float32 logits
        ReferenceTensors reference = new ReferenceTensors(LLAMA.resolve("reference.safetensors"));
        assertThat(ReferenceTensors.relativeError(reference.floats("seq0.logits"), fromBf16[fromBf16.length - 1])).isLessThan(2e-2);
    }

    @Test
    void f16CheckpointStaysWithinHalfPrecisionOfReference() {
        Path f16 = copy("f16", CheckpointCopies.readAll(LLAMA), TensorDType.F16);
        ReferenceTensors reference = new ReferenceTensors(LLAMA.resolve("reference.safetensors"));
        float[][] outputs = allOutputs(f16);
        assertThat(ReferenceTensors.relativeError(reference.floats("seq0.logits"), outputs[outputs.length - 1])).isLessThan(5e-3);
    }

    @Test
    void shardedCheckpointEqualsSingleFile() {
        Path sharded = temp.resolve("sharded");
        CheckpointCopies.copyConfig(LLAMA, sharded, UnaryOperator.identity());
        CheckpointCopies.writeSharded(CheckpointCopies.readAll(LLAMA), 3, sharded);
        float[][] expected = allOutputs(LLAMA);
        float[][] actual = allOutputs(sharded);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).containsExactly(expected[i]);
        }
    }

    @Test
    void missingTensorIsNamed() {
        Path dir = copy("missing", CheckpointCopies.edit(CheckpointCopies.readAll(LLAMA),
                "model.layers.1.mlp.up_proj.weight", null), TensorDType.F32);
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("missing tensor 'model.layers.1.mlp.up_proj.weight'");
    }

    @Test
    void unexpectedTensorIsNamed() {
        Path dir = copy("extra", CheckpointCopies.edit(CheckpointCopies.readAll(LLAMA),
                "model.layers.2.input_layernorm.weight", new Tensor("model.layers.2.input_layernorm.weight",
                        new long[] {64}, new float[64])), TensorDType.F32);
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("unexpected tensor").hasMessageContaining("model.layers.2.input_layernorm.weight");
    }

    @Test
    void wrongShapeNamesTensorAndBothShapes() {
        Path dir = copy("shape", CheckpointCopies.edit(CheckpointCopies.readAll(LLAMA),
                "model.norm.weight", new Tensor("model.norm.weight", new long[] {32}, new float[32])), TensorDType.F32);
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("'model.norm.weight'").hasMessageContaining("[32]").hasMessageContaining("[64]");
    }

    @Test
    void unsupportedModelTypeIsNamed() {
        Path dir = temp.resolve("mamba");
        CheckpointCopies.copyConfig(LLAMA, dir, c -> c.replace("\"model_type\": \"llama\"", "\"model_type\": \"mamba\""));
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("model_type 'mamba' is not supported").hasMessageContaining("config.json");
    }

    @Test
    void truncatedWeightsFileFailsBeforeAnyRead() throws IOException {
        Path dir = temp.resolve("truncated");
        CheckpointCopies.copyConfig(LLAMA, dir, UnaryOperator.identity());
        byte[] bytes = Files.readAllBytes(LLAMA.resolve("model.safetensors"));
        Files.write(dir.resolve("model.safetensors"), java.util.Arrays.copyOf(bytes, bytes.length - 1000));
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("corrupt safetensors file").hasMessageContaining("truncated");
    }

    @Test
    void absurdHeaderLengthIsRejectedWithoutAllocating() throws IOException {
        Path dir = temp.resolve("garbage");
        CheckpointCopies.copyConfig(LLAMA, dir, UnaryOperator.identity());
        byte[] bytes = new byte[64];
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(Long.MAX_VALUE - 3);
        Files.write(dir.resolve("model.safetensors"), bytes);
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("header length");
    }

    @Test
    void configKeyOfWrongTypeIsNamed() {
        Path dir = temp.resolve("badconfig");
        CheckpointCopies.copyConfig(LLAMA, dir, c -> c.replace("\"hidden_size\": 64", "\"hidden_size\": \"64\""));
        CheckpointCopies.write(CheckpointCopies.readAll(LLAMA), TensorDType.F32, dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("'hidden_size'");
    }

    private Path copy(String name, List<Tensor> tensors, TensorDType dtype) {
        Path dir = temp.resolve(name);
        CheckpointCopies.copyConfig(LLAMA, dir, UnaryOperator.identity());
        CheckpointCopies.write(tensors, dtype, dir.resolve("model.safetensors"));
        return dir;
    }

    /** Every residual of seq0, then its logits. */
    private static float[][] allOutputs(Path modelDir) {
        try (FrozenTransformer model = FrozenTransformer.load(modelDir);
             ForwardResult r = model.forward(TokenBatch.single(SEQ0), Taps.of(TapKind.RESIDUAL, TapKind.LOGITS))) {
            return ForwardOutputs.residualsAndLogits(r, model.spec());
        }
    }
}
