package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.TensorInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code layerwise forward} writes what Hugging Face computes, under the documented names. */
class ForwardCommandTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared"));

    @TempDir
    Path temp;

    @Test
    void writesEveryTapOfTheQwen3FixtureAsHuggingFaceComputesIt() {
        Path out = temp.resolve("out.safetensors");
        Path fixture = SHARED.resolve("fixtures/qwen3");
        int status = Layerwise.run("forward", "--model", fixture.toString(), "--input-ids", "1,17,42,256,3,99,128",
                "--out", out.toString());
        assertThat(status).isZero();
        SafetensorsFile written = SafetensorsFile.open(out);
        SafetensorsFile reference = SafetensorsFile.open(fixture.resolve("reference.safetensors"));
        assertThat(written.tensors().keySet()).contains("input_ids", "hidden_states.0", "hidden_states.2", "logits",
                "layers.0.attn_o_proj_input", "layers.1.mlp_down_proj_input");
        for (String name : written.tensors().keySet()) {
            if (name.equals("input_ids")) {
                assertThat(floats(written, name)).containsExactly(1, 17, 42, 256, 3, 99, 128);
                continue;
            }
            float[] expected = floats(reference, "seq0." + name);
            float[] actual = floats(written, name);
            assertThat(actual).as(name).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                assertThat(Math.abs(actual[i] - expected[i])).as(name + "[" + i + "]").isLessThanOrEqualTo(1e-4f);
            }
        }
    }

    @Test
    void unknownModelExitsWithStatusTwoAndWritesNothing() {
        Path out = temp.resolve("never.safetensors");
        int status = Layerwise.run("forward", "--model", temp.resolve("nope").toString(), "--input-ids", "1,2",
                "--out", out.toString());
        assertThat(status).isEqualTo(2);
        assertThat(Files.exists(out)).isFalse();
    }

    private static float[] floats(SafetensorsFile file, String name) {
        TensorInfo info = file.tensor(name);
        float[] values = new float[(int) info.numel()];
        file.map(info).asFloatBuffer().get(values);
        return values;
    }
}
