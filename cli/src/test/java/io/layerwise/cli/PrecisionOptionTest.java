package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --precision} on {@code forward} and {@code generate}, and the preflight's refusal as exit status 2. */
class PrecisionOptionTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared"));
    private static final Path LLAMA_BYTES = SHARED.resolve("models/tiny-llama-bytes");

    @TempDir
    Path temp;

    @Test
    void forwardInBf16RecordsItsPrecisionAndStaysCloseToF32() {
        Path f32 = temp.resolve("f32.safetensors");
        Path bf16 = temp.resolve("bf16.safetensors");
        String[] input = {"--model", LLAMA_BYTES.toString(), "--text", "Call me Ishmael."};
        assertThat(Layerwise.run(concat(new String[] {"forward"}, input, new String[] {"--out", f32.toString()}))).isZero();
        assertThat(Layerwise.run(concat(new String[] {"forward"}, input,
                new String[] {"--precision", "bf16", "--out", bf16.toString()}))).isZero();
        SafetensorsFile exact = SafetensorsFile.open(f32);
        SafetensorsFile fast = SafetensorsFile.open(bf16);
        assertThat(exact.metadata()).containsEntry("precision", "f32");
        assertThat(fast.metadata()).containsEntry("precision", "bf16");
        float[] expected = floats(exact, "hidden_states.6");
        float[] actual = floats(fast, "hidden_states.6");
        double num = 0;
        double den = 0;
        for (int i = 0; i < expected.length; i++) {
            num += Math.pow(expected[i] - actual[i], 2);
            den += Math.pow(expected[i], 2);
        }
        assertThat(Math.sqrt(num / den)).isLessThan(2e-2);
    }

    @Test
    void generateInBf16WritesItsTokens() {
        Path out = temp.resolve("tokens.safetensors");
        assertThat(Layerwise.run("generate", "--model", LLAMA_BYTES.toString(), "--input-ids", "256,67,97,108,108",
                "--max-new-tokens", "4", "--precision", "BF16", "--out", out.toString())).isZero();
        assertThat(SafetensorsFile.open(out).metadata()).containsEntry("precision", "bf16");
    }

    @Test
    void anUnknownPrecisionIsAUsageError() {
        assertThat(Layerwise.run("generate", "--model", LLAMA_BYTES.toString(), "--input-ids", "256",
                "--max-new-tokens", "1", "--precision", "fp8")).isEqualTo(2);
    }

    @Test
    void aWorkloadThatCannotFitExitsWithStatusTwoBeforeLoading() {
        String previous = System.getProperty("layerwise.memory.available");
        System.setProperty("layerwise.memory.available", "64m");
        try {
            Path out = temp.resolve("never.safetensors");
            assertThat(Layerwise.run("forward", "--model", LLAMA_BYTES.toString(), "--input-ids", "256,67",
                    "--out", out.toString())).isEqualTo(2);
            assertThat(Files.exists(out)).isFalse();
        } finally {
            if (previous == null) {
                System.clearProperty("layerwise.memory.available");
            } else {
                System.setProperty("layerwise.memory.available", previous);
            }
        }
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    private static float[] floats(SafetensorsFile file, String name) {
        TensorInfo info = file.tensor(name);
        float[] values = new float[(int) info.numel()];
        ByteBuffer data = file.map(info);
        data.asFloatBuffer().get(values);
        return values;
    }
}
