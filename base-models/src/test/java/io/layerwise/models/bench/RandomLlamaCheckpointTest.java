package io.layerwise.models.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.precision.Precision;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import io.layerwise.models.runtime.Workload;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generated checkpoints behind the precision benchmark and the memory test. */
class RandomLlamaCheckpointTest {
    private static final RandomLlamaCheckpoint SMALL = new RandomLlamaCheckpoint(64, 2, 4, 2, 128, 100);

    @TempDir
    Path temp;

    @Test
    void bf16AndF32CopiesWithTheSameSeedAreTheSameModelAndShardsGetAnIndex() throws IOException {
        Path bf16 = temp.resolve("bf16");
        Path f32 = temp.resolve("f32");
        SMALL.write(bf16, 7, 20_000, TensorDType.BF16);
        SMALL.write(f32, 7, Long.MAX_VALUE, TensorDType.F32);
        assertThat(bf16.resolve("model.safetensors.index.json")).exists();
        assertThat(f32.resolve("model.safetensors")).exists();
        assertThat(Files.size(f32.resolve("model.safetensors"))).isGreaterThan(4 * SMALL.parameters());
        assertThat(SMALL.bytes()).isEqualTo(2 * SMALL.parameters());
        float[] fromBf16 = lastHiddenState(bf16);
        float[] fromF32 = lastHiddenState(f32);
        assertThat(ReferenceTensors.maxAbsDiff(fromF32, fromBf16)).isLessThanOrEqualTo(1e-6);
        assertThat(fromF32).doesNotContain(Float.NaN);
    }

    @Test
    void sparseCopiesHaveFullSizeHeadersWithoutData() throws IOException {
        Path sparse = temp.resolve("sparse");
        SMALL.writeSparse(sparse, TensorDType.F32, Long.MAX_VALUE);
        assertThat(Files.size(sparse.resolve("model.safetensors"))).isGreaterThan(4 * SMALL.parameters());
        try (FrozenTransformer model = FrozenTransformer.load(sparse)) {
            assertThat(model.spec().numLayers()).isEqualTo(2);
        }
    }

    private static float[] lastHiddenState(Path dir) {
        try (FrozenTransformer model = FrozenTransformer.load(dir, Precision.F32, Workload.minimal());
             ForwardResult r = model.forward(TokenBatch.single(new long[] {1, 5, 9, 42, 99}), Taps.of(TapKind.RESIDUAL))) {
            return r.residual(2).toFloatArray();
        }
    }
}
