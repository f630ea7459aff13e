package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.models.ModelException;
import io.layerwise.models.bench.RandomLlamaCheckpoint;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.families.ArchitectureAdapter;
import io.layerwise.models.precision.Precision;
import io.layerwise.models.weights.SafetensorsCheckpoint;
import io.layerwise.models.weights.TensorDType;
import io.layerwise.models.weights.WeightSource;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory preflight on sparse Llama-2-7B-shaped checkpoints (real headers, no data): what each
 * precision needs for bf16 and float32 weights, and the refusal that says what would fit.
 */
class MemoryPreflightTest {
    /** Llama-2-7B: 4096 wide, 32 layers, 11008 MLP, 32000 vocabulary; 6.74e9 parameters. */
    private static final RandomLlamaCheckpoint LLAMA_2_7B = new RandomLlamaCheckpoint(4096, 32, 32, 32, 11008, 32000);
    private static final double GIB = 1L << 30;

    @TempDir
    static Path temp;

    private static Path bf16Dir;
    private static Path f32Dir;

    @BeforeAll
    static void writeSparseCheckpoints() {
        bf16Dir = temp.resolve("llama-2-7b-bf16");
        LLAMA_2_7B.writeSparse(bf16Dir, TensorDType.BF16, 10L << 30);
        f32Dir = temp.resolve("llama-2-7b-f32");
        LLAMA_2_7B.writeSparse(f32Dir, TensorDType.F32, 10L << 30);
    }

    @Test
    void bf16WeightsStayMappedInBothPrecisionsAndF32WidensOneMatrixChunkAtATime() {
        MemoryEstimate f32 = estimate(bf16Dir, Precision.F32, Workload.minimal());
        MemoryEstimate bf16 = estimate(bf16Dir, Precision.BF16, Workload.minimal());
        assertThat(f32.mappedWeights() / GIB).isBetween(12.4, 12.6); // 13.48e9 bytes, minus the norms
        assertThat(f32.residentWeights()).isLessThan(2L << 20); // the norms, widened
        // the largest widened piece: a 16384-row chunk of the [32000, 4096] LM head (256 MiB)
        assertThat(f32.widenedMatrix()).isEqualTo(16384L * 4096 * 4);
        assertThat(bf16.widenedMatrix()).isZero();
        assertThat(bf16.mappedWeights()).isEqualTo(f32.mappedWeights());
    }

    @Test
    void float32WeightsInBf16PrecisionAreHalvedIntoMemory() {
        MemoryEstimate f32 = estimate(f32Dir, Precision.F32, Workload.minimal());
        MemoryEstimate bf16 = estimate(f32Dir, Precision.BF16, Workload.minimal());
        assertThat(f32.mappedWeights() / GIB).isBetween(25.0, 25.2);
        assertThat(f32.widenedMatrix()).isZero();
        assertThat(bf16.mappedWeights()).isLessThan(2L << 20);
        assertThat(bf16.residentWeights() * 2).isBetween(f32.mappedWeights() - (2L << 20), f32.mappedWeights());
    }

    @Test
    void kvCacheAndActivationsGrowWithTheWorkload() {
        Workload generation = Workload.generation(4, 512, 512);
        MemoryEstimate e = estimate(bf16Dir, Precision.BF16, generation);
        // 2 (k, v) x 32 layers x 4 rows x 4096 x 1024 tokens x 4 bytes
        assertThat(e.kvCache()).isEqualTo(2L * 32 * 4 * 4096 * 1024 * 4);
        Workload allResiduals = Workload.forward(8, 128, Taps.of(TapKind.RESIDUAL));
        long residuals = 33L * 8 * 128 * 4096 * 4;
        assertThat(estimate(bf16Dir, Precision.BF16, allResiduals).activations()).isGreaterThan(residuals);
        assertThat(estimate(bf16Dir, Precision.BF16, allResiduals.withBatchSize(1)).activations())
                .isLessThan(residuals / 4);
    }

    @Test
    void refusalNamesTheNeedTheAvailableMemoryAndWhatWouldFit() {
        // every tap on every layer: 17 GiB of kept activations on top of 12.6 GiB of weights
        Workload everything = Workload.forward(16, 256, Taps.everything());
        assertThatThrownBy(() -> check(bf16Dir, Precision.F32, everything, 20L << 30)).isInstanceOf(ModelException.class)
                .hasMessageContaining("would need about").hasMessageContaining("in f32")
                .hasMessageContaining("but 20.0 GiB is available")
                .hasMessageMatching("(?s).*batch \\d instead of 16.*")
                .hasMessageContaining("fewer taps: with only the last residual layer tapped");
        // a huge batch: its working tensors alone exceed the room, so only a smaller batch helps
        Workload huge = Workload.forward(64, 512, Taps.of(TapKind.RESIDUAL));
        assertThatThrownBy(() -> check(bf16Dir, Precision.F32, huge, 20L << 30)).isInstanceOf(ModelException.class)
                .hasMessageContaining("What would fit: batch").hasMessageNotContaining("fewer taps");
        assertThatThrownBy(() -> check(f32Dir, Precision.F32, Workload.forward(1, 128, Taps.of()), 20L << 30))
                .isInstanceOf(ModelException.class).hasMessageContaining("precision bf16 (");
        assertThatThrownBy(() -> check(bf16Dir, Precision.BF16, Workload.minimal(), 8L << 30))
                .isInstanceOf(ModelException.class).hasMessageContaining("Nothing smaller fits: the weights alone need");
        assertThat(check(bf16Dir, Precision.BF16, Workload.forward(8, 128, Taps.of(TapKind.RESIDUAL)), 20L << 30).total())
                .isLessThan(20L << 30);
    }

    @Test
    void loadRefusesBeforeMappingAnyWeight() throws Exception {
        String previous = System.getProperty("layerwise.memory.available");
        System.setProperty("layerwise.memory.available", "6g");
        try {
            assertThatThrownBy(() -> FrozenTransformer.load(bf16Dir, Precision.F32, Workload.minimal()))
                    .isInstanceOf(ModelException.class).hasMessageContaining(bf16Dir.getFileName().toString())
                    .hasMessageContaining("but 6.0 GiB is available");
        } finally {
            if (previous == null) {
                System.clearProperty("layerwise.memory.available");
            } else {
                System.setProperty("layerwise.memory.available", previous);
            }
        }
        assertThat(Files.size(bf16Dir.resolve("model-00001-of-00002.safetensors"))).isGreaterThan(9L << 30);
    }

    @Test
    void availableMemoryOverrideAcceptsUnits() {
        assertThat(MemoryPreflight.parseBytes("16g")).isEqualTo(16L << 30);
        assertThat(MemoryPreflight.parseBytes("512M")).isEqualTo(512L << 20);
        assertThat(MemoryPreflight.parseBytes("1234")).isEqualTo(1234);
        assertThatThrownBy(() -> MemoryPreflight.parseBytes("lots")).isInstanceOf(ModelException.class)
                .hasMessageContaining("layerwise.memory.available");
        assertThat(MemoryPreflight.availableBytes()).isPositive();
    }

    private static MemoryEstimate estimate(Path dir, Precision precision, Workload workload) {
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        ArchitectureAdapter adapter = ArchitectureAdapter.forConfig(config);
        TransformerSpec spec = adapter.spec(config);
        WeightSource source = SafetensorsCheckpoint.open(dir);
        return MemoryPreflight.estimate(spec, source, adapter::ignorable, precision, workload);
    }

    private static MemoryEstimate check(Path dir, Precision precision, Workload workload, long available) {
        HfConfig config = HfConfig.read(dir.resolve("config.json"));
        ArchitectureAdapter adapter = ArchitectureAdapter.forConfig(config);
        return MemoryPreflight.check(dir.getFileName().toString(), adapter.spec(config), SafetensorsCheckpoint.open(dir),
                adapter::ignorable, precision, workload, available);
    }
}
