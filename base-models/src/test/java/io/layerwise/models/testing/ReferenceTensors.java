package io.layerwise.models.testing;

import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.TensorDType;
import io.layerwise.models.weights.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Set;

/** Reads reference tensors written by Hugging Face {@code transformers} (F32 and I64 safetensors). */
public final class ReferenceTensors {
    private final SafetensorsFile file;

    public ReferenceTensors(Path path) {
        this.file = SafetensorsFile.open(path);
    }

    public Set<String> names() {
        return file.tensors().keySet();
    }

    public boolean has(String name) {
        return file.tensors().containsKey(name);
    }

    public long[] shape(String name) {
        return file.tensor(name).shape();
    }

    public float[] floats(String name) {
        TensorInfo info = file.tensor(name);
        if (info.dtype() != TensorDType.F32) {
            throw new IllegalArgumentException(name + " is " + info.dtype());
        }
        ByteBuffer data = file.map(info);
        float[] out = new float[(int) info.numel()];
        data.asFloatBuffer().get(out);
        return out;
    }

    public long[] longs(String name) {
        TensorInfo info = file.tensor(name);
        if (info.dtype() != TensorDType.I64) {
            throw new IllegalArgumentException(name + " is " + info.dtype());
        }
        ByteBuffer data = file.map(info);
        long[] out = new long[(int) info.numel()];
        data.asLongBuffer().get(out);
        return out;
    }

    public String metadata(String key) {
        return file.metadata().get(key);
    }

    /** Largest absolute difference; fails on length mismatch. */
    public static double maxAbsDiff(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        }
        double max = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs((double) expected[i] - actual[i]);
            if (Double.isNaN(d)) {
                return Double.POSITIVE_INFINITY;
            }
            max = Math.max(max, d);
        }
        return max;
    }

    /** Relative Frobenius error {@code ||expected - actual|| / ||expected||}. */
    public static double relativeError(float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            throw new AssertionError("length " + actual.length + " != expected " + expected.length);
        }
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            num += Math.pow((double) expected[i] - actual[i], 2);
            den += Math.pow(expected[i], 2);
        }
        return Math.sqrt(num / den);
    }
}
