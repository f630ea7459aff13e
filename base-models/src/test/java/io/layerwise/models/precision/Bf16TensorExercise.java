package io.layerwise.models.precision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.GreedyDecoder;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.NativeThreads;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import io.layerwise.models.runtime.Workload;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Child-JVM program for {@code Bf16TensorIsolationTest}: calls every public method of
 * {@link Bf16Tensor} and of a bf16 {@link WeightMatrix} (checking that each array handed back is
 * float32), closes and misuses a tensor, then runs a bf16 checkpoint through forward passes, taps
 * and generation in both precisions, and closes everything. Prints {@code OK} at the end; an abort
 * anywhere ends the JVM before that.
 */
public final class Bf16TensorExercise {
    /** The public methods this program calls; the test fails when Bf16Tensor gains one not listed here. */
    static final Set<String> EXERCISED = Set.of("roundedFrom", "getShape", "bytes", "widen", "toFloatArray", "linear",
            "embedding", "narrowRows", "transpose", "isClosed", "close", "toString");

    private Bf16TensorExercise() {}

    public static void main(String[] args) {
        Set<String> declared = new TreeSet<>();
        for (Method m : Bf16Tensor.class.getDeclaredMethods()) {
            if (Modifier.isPublic(m.getModifiers())) {
                declared.add(m.getName());
            }
        }
        if (!declared.equals(new TreeSet<>(EXERCISED))) {
            throw new AssertionError("public methods " + declared + " differ from the exercised " + EXERCISED);
        }
        NativeThreads.configure();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch")) {
            Bf16Tensor w = Bf16Tensor.roundedFrom(manager.randomNormal(new Shape(8, 4)));
            check(w.getShape().equals(new Shape(8, 4)) && w.bytes() == 64, "shape");
            float32(w.widen(manager));
            check(w.toFloatArray().length == 32, "toFloatArray");
            float32(w.linear(manager.randomNormal(new Shape(2, 3, 4))));
            float32(w.embedding(manager.create(new long[] {1, 7}, new Shape(2))));
            try (Bf16Tensor rows = w.narrowRows(2, 4); Bf16Tensor t = w.transpose()) {
                float32(rows.widen(manager));
                float32(t.linear(manager.ones(new Shape(1, 8))));
                System.out.println(rows + " " + t);
            }
            for (Precision p : Precision.values()) {
                WeightMatrix m = WeightMatrix.of(w, p);
                float32(m.linear(manager.ones(new Shape(1, 4)), manager.ones(new Shape(8))));
                float32(m.rows(manager.create(new long[] {0}, new Shape(1))));
                float32(m.transpose().linear(manager.ones(new Shape(1, 8)), null));
                float32(m.narrowRows(0, 2).linear(manager.ones(new Shape(1, 4)), null));
                check(m.toFloatArray().length == 32 && m.getShape().equals(new Shape(8, 4)), "matrix");
            }
            check(!w.isClosed(), "open");
            w.close();
            w.close();
            check(w.isClosed(), "closed");
            System.out.println(w);
            for (Runnable misuse : List.<Runnable>of(() -> w.widen(manager), () -> w.linear(manager.ones(new Shape(4))),
                    w::toFloatArray, () -> w.narrowRows(0, 1), w::transpose)) {
                try {
                    misuse.run();
                    throw new AssertionError("a closed bf16 tensor was usable");
                } catch (RuntimeException expected) {
                    // refused in Java, before native code
                }
            }
        }
        Path model = Path.of(args[0]);
        for (Precision p : Precision.values()) {
            try (FrozenTransformer m = FrozenTransformer.load(model, p, Workload.minimal());
                 ForwardResult r = m.forward(TokenBatch.single(new long[] {256, 67, 97, 108, 108}), Taps.everything())) {
                float32(r.logits());
                float32(r.residual(m.spec().numLayers()));
                float32(r.attentionProbs(0));
                long[] tokens = new GreedyDecoder(m, Interventions.none(), true).generate(List.of(new long[] {256, 67}), 4,
                        Set.of()).get(0);
                System.out.println(p + " generated " + Arrays.toString(tokens));
            }
        }
        System.out.println("exercised " + EXERCISED.size() + " public methods");
        System.out.println("OK");
    }

    private static void float32(NDArray array) {
        check(array.getDataType() == DataType.FLOAT32, "float32 result");
        array.toFloatArray();
        array.softmax(-1).close();
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
