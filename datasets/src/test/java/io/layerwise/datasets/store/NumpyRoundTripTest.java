package io.layerwise.datasets.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.datasets.testing.NumpyPython;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The .npy files Java writes are what numpy reads: numpy opens them with {@code mmap_mode="r"} and sees
 * the same shapes, dtypes and values, and Java's f16 rounding matches numpy's {@code astype(float16)}
 * bit for bit, edge cases included. Needs {@code python3} with numpy (CI installs Debian's
 * {@code python3-numpy}).
 */
class NumpyRoundTripTest {
    @TempDir
    Path dir;

    @Test
    void numpyMemoryMapsJavaWrittenShardsAndIndexArraysWithTheSameValues() throws Exception {
        int rows = 37;
        int dim = 24;
        float[] values = new float[rows * dim];
        Random random = new Random(3);
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(12) - 6));
        }
        float[] edges = {65504f, 65519.99f, 65520f, -70000f, 0x1p-24f, 0x1p-25f, 3 * 0x1p-26f, -0f, 1f + 0x1p-11f,
            Float.POSITIVE_INFINITY, Float.NaN, 6.1035156e-5f, 6.1e-5f, 1e-8f, -2.5e-7f};
        System.arraycopy(edges, 0, values, 0, edges.length);
        // rows arrive in a bucketed order, not file order
        try (ShardWriter f16 = ShardWriter.create(dir.resolve("f16.npy"), NpyDType.F16, rows, dim);
                ShardWriter f32 = ShardWriter.create(dir.resolve("f32.npy"), NpyDType.F32, rows, dim)) {
            for (int r = rows - 1; r >= 0; r -= 2) {
                f16.writeRows(r, values, r * dim, 1);
                f32.writeRows(r, values, r * dim, 1);
            }
            for (int r = rows - 2; r >= 0; r -= 2) {
                f16.writeRows(r, values, r * dim, 1);
                f32.writeRows(r, values, r * dim, 1);
            }
            f16.commit();
            f32.commit();
        }
        try (NpyStreamWriter labels = NpyStreamWriter.create(dir.resolve("labels.npy"), NpyDType.I64, 5);
                NpyStreamWriter splits = NpyStreamWriter.create(dir.resolve("splits.npy"), NpyDType.I8, 5);
                NpyStreamWriter index = NpyStreamWriter.create(dir.resolve("index.npy"), NpyDType.I64, 5, 2)) {
            for (long v : new long[] {0, 1, -1, 1L << 40, 7}) {
                labels.putLong(v);
                splits.putByte((byte) (v & 1));
                index.putLong(v);
                index.putLong(-v);
            }
            labels.commit();
            splits.commit();
            index.commit();
        }
        StringBuilder expected = new StringBuilder();
        for (float v : values) {
            expected.append(Float.floatToRawIntBits(v)).append('\n');
        }
        Files.writeString(dir.resolve("expected_bits.txt"), expected);

        String script = String.join("\n",
                "import numpy as np, sys",
                "np.seterr(all='ignore')  # the edge values overflow f16 on purpose",
                "d = sys.argv[1]",
                "f16 = np.load(d + '/f16.npy', mmap_mode='r'); f32 = np.load(d + '/f32.npy', mmap_mode='r')",
                "assert isinstance(f16, np.memmap) and isinstance(f32, np.memmap)",
                "assert f16.dtype == np.float16 and f32.dtype == np.float32, (f16.dtype, f32.dtype)",
                "assert f16.shape == (37, 24) and f32.shape == (37, 24), (f16.shape, f32.shape)",
                "bits = np.loadtxt(d + '/expected_bits.txt', dtype=np.int64).astype(np.uint32).view(np.float32)",
                "assert np.array_equal(f32.reshape(-1).view(np.uint32), bits.view(np.uint32)), 'f32 bits differ'",
                "ours = np.asarray(f16).reshape(-1).view(np.uint16)",
                "theirs = bits.astype(np.float16).view(np.uint16)",
                "nan = np.isnan(bits)",
                "bad = np.nonzero((ours != theirs) & ~nan)[0]",
                "assert bad.size == 0, [(i, hex(ours[i]), hex(theirs[i])) for i in bad[:5]]",
                "assert np.isnan(np.asarray(f16).reshape(-1)[nan]).all()",
                "labels = np.load(d + '/labels.npy', mmap_mode='r'); splits = np.load(d + '/splits.npy', mmap_mode='r')",
                "index = np.load(d + '/index.npy', mmap_mode='r')",
                "assert labels.dtype == np.int64 and labels.tolist() == [0, 1, -1, 1 << 40, 7], labels",
                "assert splits.dtype == np.int8 and splits.tolist() == [0, 1, 1, 0, 1], splits",
                "assert index.shape == (5, 2) and index[:, 1].tolist() == [0, -1, 1, -(1 << 40), -7], index",
                "print('ok', f16.shape)");
        NumpyPython.Output output = NumpyPython.run(script, dir.toString());
        assertThat(output.text()).as(output.text()).startsWith("ok (37, 24)");
        assertThat(output.status()).isZero();
    }
}
