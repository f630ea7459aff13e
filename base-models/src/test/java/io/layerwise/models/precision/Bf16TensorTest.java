package io.layerwise.models.precision;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.layerwise.models.ModelException;
import io.layerwise.models.runtime.NativeThreads;
import io.layerwise.models.testing.CheckpointCopies;
import io.layerwise.models.weights.Float32Widening;
import io.layerwise.models.weights.SafetensorsCheckpoint;
import io.layerwise.models.weights.SafetensorsWriter;
import io.layerwise.models.weights.TensorDType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bf16 type's operations: bit-exact mapping and widening, rounding, products, views, misuse. */
class Bf16TensorTest {
    /** bf16 bit patterns worth checking: signed zeros, 1, -2, the extremes, a subnormal, infinities, NaN. */
    private static final short[] SPECIAL = {0x0000, (short) 0x8000, 0x3F80, (short) 0xC000, 0x7F7F, (short) 0xFF7F,
            0x0080, 0x0001, 0x7F80, (short) 0xFF80, 0x7FC0, 0x3EAB};

    @TempDir
    Path temp;

    private NDManager manager;

    @BeforeEach
    void startEngine() {
        NativeThreads.configure();
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void mappedBf16WeightsWidenBitExactlyAsJavaDoes() {
        ByteBuffer bits = ByteBuffer.allocate(SPECIAL.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (short s : SPECIAL) {
            bits.putShort(s);
        }
        bits.flip();
        new SafetensorsWriter().put("w", TensorDType.BF16, new long[] {3, 4}, bits).write(temp.resolve("model.safetensors"));
        float[] expected = new float[SPECIAL.length];
        Float32Widening.widen(bits, TensorDType.BF16, SPECIAL.length).asFloatBuffer().get(expected);
        WeightMatrix w = new WeightMatrixLoader(SafetensorsCheckpoint.open(temp), manager, Precision.F32).load("w");
        assertThat(w).isInstanceOf(WeightMatrix.Bf16.class);
        assertThat(((WeightMatrix.Bf16) w).stored().isStoredAsBf16()).as("kept in bf16, not widened").isTrue();
        assertThat(w.getShape()).isEqualTo(new Shape(3, 4));
        float[] actual = w.toFloatArray();
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToRawIntBits(actual[i])).as("element %d", i)
                    .isEqualTo(Float.floatToRawIntBits(expected[i]));
        }
    }

    @Test
    void roundingToBf16MatchesRoundToNearestEven() {
        SplittableRandom random = new SplittableRandom(7);
        float[] values = new float[4096];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) random.nextDouble(-3, 3);
        }
        values[0] = 1.00390625f; // exactly half-way between two bf16 values: ties to even (1.0)
        values[1] = 1.01171875f; // half-way, rounds up to the even neighbour 1.015625
        try (Bf16Tensor rounded = Bf16Tensor.roundedFrom(manager.create(values, new Shape(64, 64)))) {
            assertThat(rounded.toFloatArray()).containsExactly(CheckpointCopies.roundedToBf16(values));
            assertThat(rounded.toFloatArray()[0]).isEqualTo(1.0f);
            assertThat(rounded.toFloatArray()[1]).isEqualTo(1.015625f);
        }
    }

    @Test
    void bf16LinearIsFloat32AndWithinBf16RoundingOfTheExactProduct() {
        NDArray w = manager.randomNormal(new Shape(96, 64));
        NDArray x = manager.randomNormal(new Shape(2, 5, 64));
        try (Bf16Tensor stored = Bf16Tensor.roundedFrom(w)) {
            NDArray exact = x.matMul(stored.widen(manager).transpose());
            NDArray fast = stored.linear(x);
            assertThat(fast.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(fast.getShape()).isEqualTo(new Shape(2, 5, 96));
            double relative = fast.sub(exact).norm().getFloat() / exact.norm().getFloat();
            assertThat(relative).isBetween(1e-4, 1e-2);
            NDArray bias = manager.randomNormal(new Shape(96));
            NDArray withBias = WeightMatrix.of(stored, Precision.BF16).linear(x, bias);
            assertThat(withBias.sub(fast.add(bias)).abs().max().getFloat()).isZero();
        }
    }

    @Test
    void f32PrecisionOnBf16WeightsEqualsTheProductWithWidenedWeights() {
        NDArray x = manager.randomNormal(new Shape(3, 64));
        try (Bf16Tensor stored = Bf16Tensor.roundedFrom(manager.randomNormal(new Shape(48, 64)))) {
            NDArray widened = stored.widen(manager);
            NDArray bias = manager.randomNormal(new Shape(48));
            float[] expected = WeightMatrix.of(widened).linear(x, bias).toFloatArray();
            assertThat(WeightMatrix.of(stored, Precision.F32).linear(x, bias).toFloatArray()).containsExactly(expected);
        }
    }

    @Test
    void widenedProductOfAMatrixLargerThanTheChunkRunsInRowChunksWithTheSameResult() {
        long rows = WeightMatrix.MAX_WIDENED_ELEMENTS / 1024 + 40; // two chunks of a [65576, 1024] matrix
        NDArray x = manager.randomNormal(new Shape(2, 1024));
        try (Bf16Tensor stored = Bf16Tensor.roundedFrom(manager.randomNormal(new Shape(rows, 1024)))) {
            NDArray widened = stored.widen(manager);
            NDArray whole = x.getNDArrayInternal().linear(x, widened, null).singletonOrThrow();
            widened.close();
            NDArray chunked = WeightMatrix.of(stored, Precision.F32).linear(x, null);
            assertThat(chunked.getShape()).isEqualTo(new Shape(2, rows));
            assertThat(chunked.sub(whole).abs().max().getFloat()).isLessThanOrEqualTo(1e-5f);
        }
    }

    @Test
    void embeddingRowsAreTheExactWidenedRows() {
        try (Bf16Tensor table = Bf16Tensor.roundedFrom(manager.randomNormal(new Shape(10, 8)))) {
            NDArray rows = table.embedding(manager.create(new long[] {3, 0, 3}, new Shape(1, 3)));
            NDArray widened = table.widen(manager);
            assertThat(rows.getShape()).isEqualTo(new Shape(1, 3, 8));
            assertThat(rows.get(new NDIndex("0, 0")).toFloatArray()).containsExactly(widened.get(3).toFloatArray());
            assertThat(rows.get(new NDIndex("0, 1")).toFloatArray()).containsExactly(widened.get(0).toFloatArray());
        }
    }

    @Test
    void rowAndTransposeViewsShowTheSameValues() {
        try (Bf16Tensor matrix = Bf16Tensor.roundedFrom(manager.randomNormal(new Shape(6, 4)));
             Bf16Tensor rows = matrix.narrowRows(2, 3);
             Bf16Tensor transposed = matrix.transpose()) {
            NDArray widened = matrix.widen(manager);
            assertThat(rows.getShape()).isEqualTo(new Shape(3, 4));
            assertThat(rows.toFloatArray()).containsExactly(widened.get("2:5").toFloatArray());
            assertThat(transposed.getShape()).isEqualTo(new Shape(4, 6));
            assertThat(transposed.toFloatArray()).containsExactly(widened.transpose().toFloatArray());
            assertThat(matrix.bytes()).isEqualTo(48);
        }
    }

    @Test
    void aBf16TensorAtAnOddFileOffsetIsCopiedExactlyInsteadOfMapped() {
        ByteBuffer odd = ByteBuffer.wrap(new byte[] {1, 2, 3});
        ByteBuffer bits = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        bits.putShort((short) 0x3F80).putShort((short) 0xC000).putShort((short) 0x0080).putShort((short) 0x3EAB).flip();
        // keys are written sorted, so "a" (3 bytes) puts "b" at an odd offset
        new SafetensorsWriter().put("a", TensorDType.U8, new long[] {3}, odd).put("b", TensorDType.BF16, new long[] {2, 2}, bits)
                .write(temp.resolve("model.safetensors"));
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(temp);
        assertThat(checkpoint.info("b").fileOffset() % 2).isEqualTo(1);
        float[] expected = new float[4];
        Float32Widening.widen(bits, TensorDType.BF16, 4).asFloatBuffer().get(expected);
        for (Precision precision : Precision.values()) {
            WeightMatrix b = new WeightMatrixLoader(checkpoint, manager, precision).load("b");
            assertThat(b.precision()).isEqualTo(precision);
            assertThat(b.toFloatArray()).containsExactly(expected);
        }
    }

    @Test
    void aBf16TensorLargerThanTwoGibIsMappedInPlace() throws IOException {
        long rows = 40_000;
        long columns = 32_768; // 2.6 GB: beyond one Java mapping, as the largest embedding tables are
        Path file = temp.resolve("model.safetensors");
        String header = "{\"w\":{\"dtype\":\"BF16\",\"shape\":[" + rows + "," + columns + "],\"data_offsets\":[0,"
                + 2 * rows * columns + "]}}";
        byte[] headerBytes = (header + " ".repeat((8 - header.length() % 8) % 8)).getBytes(StandardCharsets.UTF_8);
        ByteBuffer lastRow = ByteBuffer.allocate((int) (2 * columns)).order(ByteOrder.LITTLE_ENDIAN);
        while (lastRow.hasRemaining()) {
            lastRow.putShort((short) 0x3F80);
        }
        lastRow.flip();
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerBytes.length));
            out.write(ByteBuffer.wrap(headerBytes));
            long dataStart = 8 + headerBytes.length;
            out.write(lastRow, dataStart + 2 * (rows - 1) * columns); // the rest is a hole of zeros
        }
        WeightMatrix w = new WeightMatrixLoader(SafetensorsCheckpoint.open(temp), manager, Precision.F32).load("w");
        assertThat(w.getShape()).isEqualTo(new Shape(rows, columns));
        WeightMatrix last = w.narrowRows(rows - 1, 1);
        assertThat(last.toFloatArray()).containsOnly(1f);
        assertThat(w.narrowRows(rows / 2, 1).toFloatArray()).containsOnly(0f);
    }

    @Test
    void float32WeightsInBf16PrecisionAreRoundedOnceAtLoad() {
        float[] values = {1.00390625f, -0.3f, 7.1f, 1e-3f};
        new SafetensorsWriter().putFloat32("w", new long[] {2, 2}, values).write(temp.resolve("model.safetensors"));
        WeightMatrix w = new WeightMatrixLoader(SafetensorsCheckpoint.open(temp), manager, Precision.BF16).load("w");
        assertThat(w).isInstanceOf(WeightMatrix.Bf16.class);
        assertThat(w.toFloatArray()).containsExactly(CheckpointCopies.roundedToBf16(values));
        assertThat(new WeightMatrixLoader(SafetensorsCheckpoint.open(temp), manager, Precision.F32).load("w"))
                .isInstanceOf(WeightMatrix.Float32.class);
    }

    @Test
    void aClosedTensorRefusesEveryOperationWithAMessage() {
        Bf16Tensor tensor = Bf16Tensor.roundedFrom(manager.randomNormal(new Shape(4, 4)));
        tensor.close();
        tensor.close();
        assertThat(tensor.isClosed()).isTrue();
        assertThat(tensor.toString()).isEqualTo("bf16(4, 4) (closed)");
        assertThatThrownBy(() -> tensor.widen(manager)).isInstanceOf(ModelException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> tensor.linear(manager.ones(new Shape(1, 4)))).isInstanceOf(ModelException.class);
        assertThatThrownBy(tensor::transpose).isInstanceOf(ModelException.class);
    }

    @Test
    void mismatchedInputsFailInJavaBeforeReachingTheKernels() {
        try (Bf16Tensor w = Bf16Tensor.roundedFrom(manager.randomNormal(new Shape(4, 8)))) {
            assertThatThrownBy(() -> w.linear(manager.ones(new Shape(2, 5)))).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("input width 5");
            assertThatThrownBy(() -> w.linear(manager.ones(new Shape(2, 8), DataType.FLOAT64)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> w.embedding(manager.ones(new Shape(2), DataType.INT32)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> w.narrowRows(3, 2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Bf16Tensor.roundedFrom(manager.ones(new Shape(2), DataType.INT64)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
