package io.layerwise.models.precision;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.testing.ChildJvm;
import io.layerwise.models.testing.SharedFiles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * bf16 arrays abort the JVM when DJL sends their dtype to native code; {@link Bf16Tensor} keeps them
 * out of reach. Proven in child JVMs: a raw bf16 array does abort on {@code softmax} (so an abort
 * would be seen), while every public operation of the type, and forward passes and generation on a
 * bf16 checkpoint in both precisions, run to the end.
 */
class Bf16TensorIsolationTest {
    private static final int SIGABRT_EXIT = 134;

    @Test
    void softmaxOnARawBf16ArrayAbortsTheJvmWhichIsWhyTheTypeHidesIt() {
        ChildJvm.Result result = ChildJvm.run(RawBf16Abort.class, List.of("-Xmx256m"), 120);
        assertThat(result.output()).contains("raw bf16 array created").doesNotContain("NOT ABORTED");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(SIGABRT_EXIT);
    }

    @Test
    void everyPublicOperationOfTheBf16TypeRunsInAChildJvmWithoutAborting() {
        ChildJvm.Result result = ChildJvm.run(Bf16TensorExercise.class, List.of("-Xmx256m"), 120,
                SharedFiles.root().resolve("models/tiny-llama-bytes").toString());
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("exercised " + Bf16TensorExercise.EXERCISED.size() + " public methods")
                .endsWith("OK\n");
    }

    @Test
    void theBf16ArrayIsReachableOnlyInsideTheType() {
        assertThat(Modifier.isFinal(Bf16Tensor.class.getModifiers())).isTrue();
        for (Field field : Bf16Tensor.class.getDeclaredFields()) {
            assertThat(Modifier.isPrivate(field.getModifiers())).as(field.getName()).isTrue();
        }
        for (Constructor<?> constructor : Bf16Tensor.class.getDeclaredConstructors()) {
            assertThat(Modifier.isPrivate(constructor.getModifiers())).isTrue();
        }
        for (Method method : Bf16Tensor.class.getDeclaredMethods()) {
            if (!Modifier.isPrivate(method.getModifiers()) && NDArray.class.isAssignableFrom(method.getReturnType())) {
                // the child JVM checks that each of these hands back float32
                assertThat(method.getName()).isIn("widen", "linear", "embedding");
            }
        }
        assertThat(Bf16Kernels.class.getModifiers() & Modifier.PUBLIC).isZero();
    }
}
