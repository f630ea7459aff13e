package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.precision.Precision;
import io.layerwise.models.testing.ForwardOutputs;
import io.layerwise.models.testing.CheckpointCopies;
import io.layerwise.models.testing.CheckpointCopies.Tensor;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import io.layerwise.models.weights.TensorDType;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Both precisions on every family's fixture: {@code f32} on a bf16 copy equals the float32 model
 * whose weights were rounded to bf16 (the mapped, widened-per-product path, including GPT-2's
 * transposed and sliced Conv1D views and the bf16 token tables of BERT and Gemma), and {@code bf16}
 * stays within a few percent (relative error) of {@code f32} on every hidden state and the logits.
 */
class PrecisionAcrossFamiliesTest {
    private static final long[] SEQ = {1, 17, 42, 101, 3, 99, 64, 7, 12};
    /**
     * The fixtures have random, untrained weights, whose activations bf16 rounds less kindly than a
     * trained model's (qwen2's reach 3e-2); the 2e-2 criterion itself is checked on the two trained
     * models by {@code Bf16PrecisionTest}. A wiring mistake shows as an error near 1.
     */
    private static final double RANDOM_FIXTURE_TOLERANCE = 5e-2;

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "qwen2", "qwen3", "bert", "gemma3"})
    void f32OnABf16CopyEqualsTheFloat32ModelWithBf16RoundedWeights(String fixture) {
        Path source = SharedFiles.fixture(fixture);
        List<Tensor> tensors = CheckpointCopies.readAll(source);
        Path bf16 = temp.resolve("bf16");
        CheckpointCopies.copyConfig(source, bf16, UnaryOperator.identity());
        CheckpointCopies.write(tensors, TensorDType.BF16, bf16.resolve("model.safetensors"));
        Path rounded = temp.resolve("rounded");
        CheckpointCopies.copyConfig(source, rounded, UnaryOperator.identity());
        CheckpointCopies.write(tensors.stream()
                .map(t -> new Tensor(t.name(), t.shape(), CheckpointCopies.roundedToBf16(t.values()))).toList(),
                TensorDType.F32, rounded.resolve("model.safetensors"));
        float[][] expected = outputs(rounded, Precision.F32);
        float[][] actual = outputs(bf16, Precision.F32);
        for (int i = 0; i < expected.length; i++) {
            assertThat(ReferenceTensors.maxAbsDiff(expected[i], actual[i])).as("%s output %d", fixture, i)
                    .isLessThanOrEqualTo(1e-5);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "qwen2", "qwen3", "bert", "gemma3", "llama3-rope"})
    void bf16StaysWithinAFewPercentOfF32OnEveryHiddenState(String fixture) {
        float[][] exact = outputs(SharedFiles.fixture(fixture), Precision.F32);
        float[][] fast = outputs(SharedFiles.fixture(fixture), Precision.BF16);
        double worst = 0;
        for (int i = 0; i < exact.length; i++) {
            double error = ReferenceTensors.relativeError(exact[i], fast[i]);
            worst = Math.max(worst, error);
            assertThat(error).as("%s output %d", fixture, i).isLessThanOrEqualTo(RANDOM_FIXTURE_TOLERANCE);
        }
        System.out.printf("%s: bf16 vs f32 worst relative error %.2e%n", fixture, worst);
    }

    /** Every residual, then the logits of decoders. */
    private static float[][] outputs(Path dir, Precision precision) {
        try (FrozenTransformer model = FrozenTransformer.load(dir, precision, Workload.minimal());
             ForwardResult r = model.forward(TokenBatch.single(SEQ), Taps.of(TapKind.RESIDUAL, TapKind.LOGITS))) {
            return ForwardOutputs.residualsAndLogits(r, model.spec());
        }
    }
}
