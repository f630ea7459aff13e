package io.layerwise.models.precision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.layerwise.models.runtime.NativeThreads;

/**
 * Child-JVM program for {@code Bf16TensorIsolationTest}: takes a raw bf16 array (possible only
 * from inside this package) and calls {@code softmax} on it, which aborts the JVM. Shows that the
 * hazard {@link Bf16Tensor} hides is real, and that the test harness sees an abort.
 */
public final class RawBf16Abort {
    private RawBf16Abort() {}

    public static void main(String[] args) {
        NativeThreads.configure();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            NDArray raw = Bf16Kernels.get().roundToBf16(manager.ones(new Shape(2, 3)));
            System.out.println("raw bf16 array created; calling softmax");
            System.out.flush();
            raw.softmax(-1);
            System.out.println("NOT ABORTED");
        }
    }
}
