package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.models.ModelException;
import io.layerwise.models.nn.Linear;
import io.layerwise.models.testing.SharedFiles;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Magnitude pruning zeroes exactly the requested share of each matrix's smallest weights, and nothing else. */
class MagnitudePruningTest {

    @ParameterizedTest
    @ValueSource(doubles = {0.1, 0.3, 0.9})
    void perMatrixPruningZeroesExactlyTheSmallestFraction(double fraction) {
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture("llama"))) {
            List<float[]> before = matrices(model);
            try (MagnitudePruning.Pruned pruned = MagnitudePruning.prune(model, fraction, MagnitudePruning.Scope.PER_MATRIX)) {
                List<float[]> after = matrices(pruned.model());
                assertThat(after).hasSize(14);
                for (int m = 0; m < after.size(); m++) {
                    float[] original = before.get(m);
                    float[] kept = after.get(m);
                    int zeros = 0;
                    float largestZeroed = 0;
                    float smallestKept = Float.MAX_VALUE;
                    for (int i = 0; i < kept.length; i++) {
                        if (kept[i] == 0f) {
                            zeros++;
                            largestZeroed = Math.max(largestZeroed, Math.abs(original[i]));
                        } else {
                            assertThat(kept[i]).isEqualTo(original[i]);
                            smallestKept = Math.min(smallestKept, Math.abs(original[i]));
                        }
                    }
                    assertThat(zeros).as("matrix " + m).isEqualTo((int) Math.round(fraction * original.length));
                    assertThat(largestZeroed).isLessThanOrEqualTo(smallestKept);
                }
                assertThat(pruned.sparsity()).isCloseTo(fraction, within(0.01));
                // embeddings and norms are untouched, and the original model is unchanged
                assertThat(pruned.model().weights().embeddings().tokens().toFloatArray())
                        .containsExactly(model.weights().embeddings().tokens().toFloatArray());
            }
            List<float[]> stillOriginal = matrices(model);
            for (int m = 0; m < before.size(); m++) {
                assertThat(stillOriginal.get(m)).containsExactly(before.get(m));
            }
        }
    }

    @Test
    void globalPruningUsesOneThresholdForAllMatrices() {
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture("llama"));
             MagnitudePruning.Pruned pruned = MagnitudePruning.prune(model, 0.5, MagnitudePruning.Scope.GLOBAL)) {
            List<float[]> before = matrices(model);
            List<float[]> after = matrices(pruned.model());
            float largestZeroed = 0;
            float smallestKept = Float.MAX_VALUE;
            for (int m = 0; m < after.size(); m++) {
                for (int i = 0; i < after.get(m).length; i++) {
                    float magnitude = Math.abs(before.get(m)[i]);
                    if (after.get(m)[i] == 0f) {
                        largestZeroed = Math.max(largestZeroed, magnitude);
                    } else {
                        smallestKept = Math.min(smallestKept, magnitude);
                    }
                }
            }
            assertThat(largestZeroed).isLessThanOrEqualTo(smallestKept);
            assertThat(pruned.zeroed()).isEqualTo(Math.round(0.5 * pruned.eligible()));
        }
    }

    @Test
    void zeroFractionGivesTheDenseModel() {
        long[] ids = {1, 17, 42, 256, 3, 99, 128};
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture("qwen2"));
             MagnitudePruning.Pruned pruned = MagnitudePruning.prune(model, 0, MagnitudePruning.Scope.PER_MATRIX);
             ForwardResult dense = model.forward(TokenBatch.single(ids), Taps.of(TapKind.LOGITS));
             ForwardResult same = pruned.model().forward(TokenBatch.single(ids), Taps.of(TapKind.LOGITS))) {
            assertThat(same.logits().toFloatArray()).containsExactly(dense.logits().toFloatArray());
        }
    }

    @Test
    void fractionOutsideZeroToOneIsRejected() {
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture("llama"))) {
            assertThatThrownBy(() -> MagnitudePruning.prune(model, 1.5, MagnitudePruning.Scope.PER_MATRIX))
                    .isInstanceOf(ModelException.class).hasMessageContaining("1.5");
        }
    }

    private static List<float[]> matrices(FrozenTransformer model) {
        List<float[]> out = new ArrayList<>();
        model.weights().blocks().forEach(b -> {
            for (Linear l : List.of(b.attention().query(), b.attention().key(), b.attention().value(),
                    b.attention().output(), b.mlp().gate(), b.mlp().up(), b.mlp().down())) {
                out.add(l.weight().toFloatArray());
            }
        });
        return out;
    }
}
