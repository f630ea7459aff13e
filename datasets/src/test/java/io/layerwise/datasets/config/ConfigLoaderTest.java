package io.layerwise.datasets.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.extract.DatasetFormat;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.LayerSelection;
import io.layerwise.datasets.extract.Pooling;
import io.layerwise.datasets.extract.StoreDType;
import io.layerwise.datasets.store.ActivationTap;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Configs bind to typed records with defaults, and every problem names the file, line and field. */
class ConfigLoaderTest {
    private static final String MINIMAL = """
            model: all-minilm-l6-v2
            dataset:
              path: train.csv
              format: jigsaw
            output: runs/x
            """;

    @TempDir
    Path dir;

    @Test
    void minimalConfigGetsEveryDefault() throws IOException {
        ExtractionConfig c = load(MINIMAL).value();
        assertThat(c.taps()).containsExactly(ActivationTap.RESIDUAL);
        assertThat(c.layers().isAll()).isTrue();
        assertThat(c.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(c.dtype()).isEqualTo(StoreDType.F16);
        assertThat(c.maxLength()).as("resolved against the model when planning").isNull();
        assertThat(c.batchSize()).isEqualTo(32);
        assertThat(c.truncation()).isTrue();
        assertThat(c.splits().train()).isEqualTo(0.8);
        assertThat(c.dataset().textField()).isEqualTo("comment_text");
        assertThat(c.dataset().labelField()).isEqualTo("any");
    }

    @Test
    void unknownKeyIsAnErrorNamingFileLineAndField() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "poolin: max\n"))
                .isInstanceOf(DatasetException.class)
                .hasMessageStartingWith(dir.resolve("c.yaml") + ":6:1: poolin: unknown field")
                .hasMessageContaining("pooling");
    }

    @Test
    void unknownNestedKeyNamesTheDottedField() throws IOException {
        String yaml = MINIMAL.replace("  format: jigsaw\n", "  format: jigsaw\n  text_feild: body\n");
        assertThatThrownBy(() -> load(yaml)).hasMessageStartingWith(dir.resolve("c.yaml") + ":5:3: dataset.text_feild: unknown field");
    }

    @Test
    void badEnumValueListsTheAcceptedValues() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "pooling: avg\n"))
                .hasMessage(dir.resolve("c.yaml") + ":6:1: pooling: 'avg' is not one of mean, last, max, none");
    }

    @Test
    void wrongTypeNamesTheExpectedType() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "batch_size: 3.5\n"))
                .hasMessageStartingWith(dir.resolve("c.yaml") + ":6:1: batch_size: expected a whole number");
        assertThatThrownBy(() -> load(MINIMAL + "layers: [0, x]\n"))
                .hasMessageStartingWith(dir.resolve("c.yaml") + ":6:1: layers: layer \"x\" is not a whole number");
    }

    @Test
    void valueRefusedByTheRecordNamesItsNestedField() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL.replace("format: jigsaw", "format: jigsaw\n  text_field: body")))
                .hasMessageStartingWith(dir.resolve("c.yaml") + ":5:3: dataset.text_field: Jigsaw's text is always comment_text");
        assertThatThrownBy(() -> load(MINIMAL + "batch_size: 0\n"))
                .hasMessage(dir.resolve("c.yaml") + ":6:1: batch_size: must be at least 1, got 0");
        assertThatThrownBy(() -> load(MINIMAL + "splits: {train: 0.9, test: 0.2}\n"))
                .hasMessageStartingWith(dir.resolve("c.yaml") + ":6:1: splits: ");
    }

    @Test
    void missingRequiredFieldPointsAtItsParent() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL.replace("  path: train.csv\n", "")))
                .hasMessageStartingWith(dir.resolve("c.yaml") + ":2:1: dataset.path: is required");
        assertThatThrownBy(() -> load(MINIMAL.replace("output: runs/x\n", "")))
                .hasMessageStartingWith(dir.resolve("c.yaml") + ": output: is required");
    }

    @Test
    void duplicateKeysAndBrokenYamlAreErrorsWithALine() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL + "pooling: max\npooling: mean\n"))
                .hasMessageContaining(dir.resolve("c.yaml") + ":7:").hasMessageContaining("pooling");
        assertThatThrownBy(() -> load(MINIMAL + "taps: [residual\n"))
                .hasMessageStartingWith(dir.resolve("c.yaml") + ":").hasMessageContaining("not valid YAML");
    }

    @Test
    void overridesApplyDottedKeysWithYamlValuesBeforeValidation() throws IOException {
        ExtractionConfig c = load(MINIMAL, "pooling=max", "layers=[6, 0, 3]", "dataset.path=other.csv",
                "taps=[residual, heads]", "splits.seed=7").value();
        assertThat(c.pooling()).isEqualTo(Pooling.MAX);
        assertThat(c.layers()).isEqualTo(new LayerSelection(List.of(0, 3, 6)));
        assertThat(c.dataset().path()).isEqualTo("other.csv");
        assertThat(c.dataset().format()).isEqualTo(DatasetFormat.JIGSAW);
        assertThat(c.taps()).containsExactly(ActivationTap.RESIDUAL, ActivationTap.HEADS);
        assertThat(c.splits().seed()).isEqualTo(7L);
    }

    @Test
    void errorInAnOverriddenFieldNamesTheOverride() throws IOException {
        assertThatThrownBy(() -> load(MINIMAL, "dtype=f8"))
                .hasMessage("-s dtype=f8: dtype: 'f8' is not one of f16, f32");
        assertThatThrownBy(() -> load(MINIMAL, "model.name=x"))
                .hasMessageContaining("-s model.name=x: 'model' is not a mapping");
    }

    @Test
    void resolvedYamlLoadsBackToTheSameConfig() throws IOException {
        ExtractionConfig c = load(MINIMAL, "layers=[1,2]", "pooling=last").value();
        ExtractionConfig again = load(ConfigLoader.toYaml(c)).value();
        assertThat(again).isEqualTo(c);
    }

    @Test
    void laterChecksReportThroughTheSourceWithTheSameFormat() throws IOException {
        ConfigSource source = load(MINIMAL).source();
        assertThat(source.error("dataset.path", "no such file").getMessage())
                .isEqualTo(dir.resolve("c.yaml") + ":3:3: dataset.path: no such file");
    }

    private LoadedConfig<ExtractionConfig> load(String yaml, String... overrides) throws IOException {
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, yaml);
        return ConfigLoader.load(file, List.of(overrides), ExtractionConfig.class);
    }
}
