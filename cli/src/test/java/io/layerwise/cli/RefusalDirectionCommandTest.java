package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.weights.SafetensorsFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The refusal-direction study on the trained test model: directions for every residual index, a
 * layer ranking, and refusal rates with the direction ablated at the best layer at full strength.
 */
class RefusalDirectionCommandTest {
    private static final Path SHARED = Path.of(System.getProperty("layerwise.shared", "../shared")).toAbsolutePath();

    @TempDir
    Path temp;

    @Test
    void ablatingTheRefusalDirectionAtTheBestLayerLowersRefusalOfHeldOutHarmfulPrompts() throws Exception {
        Path config = temp.resolve("rd.yaml");
        Files.writeString(config, "model: " + SHARED.resolve("models/tiny-qwen3-chat") + "\nprompts: "
                + SHARED.resolve("data/testbed/prompts-dev.tsv") + "\ntop_n: [1]\nalphas: [1.0]\nlimit: 24\n"
                + "batch_size: 24\noutput: " + temp.resolve("run"));
        assertThat(Layerwise.run("refusal-direction", config.toString())).isZero();
        assertThat(SafetensorsFile.open(temp.resolve("run/directions.safetensors")).tensor("directions").shape())
                .containsExactly(9, 256);
        List<String> table = Files.readAllLines(temp.resolve("run/tables/refusal_direction.csv"));
        assertThat(table).hasSize(3);
        double baselineHarmful = Double.parseDouble(table.get(1).split(",")[3]);
        double ablatedHarmful = Double.parseDouble(table.get(2).split(",")[3]);
        assertThat(baselineHarmful).isGreaterThan(0.8);
        assertThat(ablatedHarmful).isLessThan(baselineHarmful);
        assertThat(Files.readAllLines(temp.resolve("run/tables/layers.csv"))).hasSize(9);
        assertThat(temp.resolve("run/plots/refusal_harmful_vs_alpha.png")).exists();
    }
}
