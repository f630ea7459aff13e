package io.layerwise.checkpoints.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Export from a run directory laid out as the trainer writes it ({@link RunBundleKind}): a chosen
 * layer, the best layer by test F1, directions, and the errors for a missing layer or kind.
 */
class BundleExportTest {
    @TempDir
    Path temp;
    Path run;

    @BeforeEach
    void makeRun() {
        run = temp.resolve("run");
        double[] mlpF1 = {0.50, 0.81, 0.93, 0.88};
        double[] logisticF1 = {0.40, 0.90, 0.70, 0.90};
        for (int layer = 0; layer < 4; layer++) {
            TestBundles.randomProbe(BundleKind.MLP, 5, 3, 10 + layer, layer, mlpF1[layer]).write(RunBundleKind.MLP.directory(run, layer));
            TestBundles.randomProbe(BundleKind.LOGISTIC, 5, 0, 20 + layer, layer, logisticF1[layer])
                    .write(RunBundleKind.LOGISTIC.directory(run, layer));
            TestBundles.randomDirection("mean_difference", 5, 30 + layer, layer, mlpF1[layer])
                    .write(RunBundleKind.MEAN_DIFFERENCE.directory(run, layer));
        }
    }

    @Test
    void layoutUsesTwoDigitLayerDirectories() {
        assertThat(RunBundleKind.MLP.directory(run, 4)).isEqualTo(run.resolve("probes/mlp/layer_04"));
        assertThat(RunBundleKind.LOGISTIC_DIRECTION.directory(run, 12)).isEqualTo(run.resolve("directions/logistic/layer_12"));
        assertThat(RunBundleKind.MLP.layers(run).keySet()).containsExactly(0, 1, 2, 3);
        assertThat(RunBundleKind.fromCliName("logistic_direction")).isEqualTo(RunBundleKind.LOGISTIC_DIRECTION);
    }

    @Test
    void exportsAChosenLayerAndTheBestByTestF1() {
        Path out = temp.resolve("chosen");
        BundleExport.Exported chosen = BundleExport.export(run, RunBundleKind.MLP, OptionalInt.of(1), out);
        assertThat(chosen.layer()).isEqualTo(1);
        assertThat(ProbeBundle.read(out).layers()).isEqualTo(ProbeBundle.read(RunBundleKind.MLP.directory(run, 1)).layers());

        assertThat(BundleExport.export(run, RunBundleKind.MLP, OptionalInt.empty(), temp.resolve("best")).layer()).isEqualTo(2);
        assertThat(ProbeBundle.read(temp.resolve("best")).card().layer()).isEqualTo(2);
        // a tie goes to the lower layer
        assertThat(BundleExport.export(run, RunBundleKind.LOGISTIC, OptionalInt.empty(), temp.resolve("tie")).layer()).isEqualTo(1);
        assertThat(BundleExport.export(run, RunBundleKind.MEAN_DIFFERENCE, OptionalInt.empty(), temp.resolve("v")).layer()).isEqualTo(2);
        assertThat(DirectionBundle.read(temp.resolve("v")).direction())
                .containsExactly(DirectionBundle.read(RunBundleKind.MEAN_DIFFERENCE.directory(run, 2)).direction());
    }

    @Test
    void missingLayersKindsAndMisplacedBundlesAreRefused() throws Exception {
        assertThatThrownBy(() -> BundleExport.export(run, RunBundleKind.MLP, OptionalInt.of(9), temp.resolve("x")))
                .isInstanceOf(BundleException.class).hasMessageContaining("no mlp bundle for layer 9; it has layers [0, 1, 2, 3]");
        assertThatThrownBy(() -> BundleExport.export(run, RunBundleKind.LOGISTIC_DIRECTION, OptionalInt.empty(), temp.resolve("x")))
                .hasMessageContaining("has no logistic_direction bundles (nothing under " + run.resolve("directions/logistic"));
        TestBundles.randomDirection("mean_difference", 5, 1, 0, 0.5).write(RunBundleKind.LOGISTIC_DIRECTION.directory(run, 0));
        assertThatThrownBy(() -> BundleExport.export(run, RunBundleKind.LOGISTIC_DIRECTION, OptionalInt.of(0), temp.resolve("x")))
                .hasMessageContaining("holds a direction (mean_difference) bundle, but it lies under directions/logistic");
        assertThat(temp.resolve("x")).doesNotExist();
        Files.writeString(RunBundleKind.MLP.directory(run, 3).resolve("card.json"), "{\"format\": \"layerwise-bundle/1\", \"kind\": \"mlp\"}");
        assertThatThrownBy(() -> BundleExport.export(run, RunBundleKind.MLP, OptionalInt.empty(), temp.resolve("x")))
                .hasMessageContaining(RunBundleKind.MLP.directory(run, 3).resolve("card.json").toString());
    }
}
