package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.TensorInfo;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code layerwise generate --out} writes Hugging Face's greedy tokens as int64 {@code new_tokens}. */
class GenerateCommandTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared"));

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void writesTheReferenceGreedyTokens(boolean noCache) {
        Path out = temp.resolve("new.safetensors");
        Path fixture = SHARED.resolve("fixtures/qwen2");
        String[] args = noCache
                ? new String[] {"generate", "--model", fixture.toString(), "--input-ids", "200,5,77,0,31",
                    "--max-new-tokens", "12", "--no-cache", "--out", out.toString()}
                : new String[] {"generate", "--model", fixture.toString(), "--input-ids", "200,5,77,0,31",
                    "--max-new-tokens", "12", "--out", out.toString()};
        assertThat(Layerwise.run(args)).isZero();
        assertThat(longs(SafetensorsFile.open(out), "new_tokens"))
                .containsExactly(longs(SafetensorsFile.open(fixture.resolve("generation.safetensors")), "seq1.greedy_new_tokens_12"));
    }

    private static long[] longs(SafetensorsFile file, String name) {
        TensorInfo info = file.tensor(name);
        long[] values = new long[(int) info.numel()];
        file.map(info).asLongBuffer().get(values);
        return values;
    }
}
