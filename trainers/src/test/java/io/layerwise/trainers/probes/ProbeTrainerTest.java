package io.layerwise.trainers.probes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.checkpoints.bundle.AffineLayer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

class ProbeTrainerTest {
    private static final MlpSettings SMALL_MLP = new MlpSettings(16, "relu", 0.0, 1e-4, 1e-2, 80, 32, 0);

    private static LayerRows xor() {
        return new LayerRows(SyntheticRows.xor(400, 4, 1), SyntheticRows.xor(100, 4, 2), SyntheticRows.xor(200, 4, 3));
    }

    @Test
    void mlpLearnsXorThatNoLinearProbeCan() {
        LayerRows rows = xor();
        TrainedProbe mlp = new ProbeTrainer(ProbeKind.MLP, SMALL_MLP, LogisticSettings.DEFAULT, ClassWeighting.NONE,
                ThresholdRule.HALF, 42).train(3, rows, loss -> {});
        TrainedProbe logistic = new ProbeTrainer(ProbeKind.LOGISTIC, SMALL_MLP, LogisticSettings.DEFAULT,
                ClassWeighting.NONE, ThresholdRule.HALF, 42).train(3, rows, loss -> {});
        assertThat(mlp.test().accuracy()).isGreaterThan(0.9);
        assertThat(logistic.test().accuracy()).isLessThan(0.65);
        assertThat(mlp.layers()).extracting(AffineLayer::outputs).containsExactly(16, 1);
        assertThat(mlp.layers()).extracting(AffineLayer::inputs).containsExactly(4, 16);
        assertThat(logistic.layers()).extracting(AffineLayer::outputs).containsExactly(1);
    }

    @Test
    void exportedLayersGiveTheNetworksOwnProbabilities() {
        LayerRows rows = xor();
        TrainedProbe mlp = new ProbeTrainer(ProbeKind.MLP, SMALL_MLP, LogisticSettings.DEFAULT, ClassWeighting.NONE,
                ThresholdRule.HALF, 42).train(3, rows, loss -> {});
        // The test metrics came from DL4J's softmax; recomputing them from the exported single-logit layers
        // on the raw rows must give the same numbers (AUROC is sensitive to every score's order).
        double[] exported = SyntheticRows.probabilities(mlp, rows.test().features());
        BinaryMetrics again = BinaryMetrics.of(exported, rows.test().labels(), mlp.threshold());
        assertThat(again.accuracy()).isEqualTo(mlp.test().accuracy());
        assertThat(again.auroc()).isCloseTo(mlp.test().auroc(), within(1e-9));
    }

    @Test
    void sameSeedGivesTheSameProbeAndAnotherSeedAnother() {
        LayerRows rows = xor();
        MlpSettings withDropout = new MlpSettings(16, "tanh", 0.2, 1e-4, 1e-2, 10, 32, 0);
        List<TrainedProbe> runs = List.of(42L, 42L, 43L).stream().map(seed -> new ProbeTrainer(ProbeKind.MLP, withDropout,
                LogisticSettings.DEFAULT, ClassWeighting.BALANCED, ThresholdRule.HALF, seed).train(0, rows, loss -> {})).toList();
        assertThat(runs.get(1).layers().get(0).weight()).isDeepEqualTo(runs.get(0).layers().get(0).weight());
        assertThat(runs.get(1).curve()).isEqualTo(runs.get(0).curve());
        assertThat(java.util.Arrays.deepEquals(runs.get(2).layers().get(0).weight(), runs.get(0).layers().get(0).weight())).isFalse();
    }

    @Test
    void earlyStoppingKeepsTheBestValidationEpoch() {
        LayerRows rows = new LayerRows(SyntheticRows.gaussians(60, 40, 0.5, 1), SyntheticRows.gaussians(60, 40, 0.5, 2),
                SyntheticRows.gaussians(60, 40, 0.5, 3));
        MlpSettings overfitting = new MlpSettings(64, "relu", 0.0, 0.0, 1e-2, 200, 16, 5);
        TrainedProbe probe = new ProbeTrainer(ProbeKind.MLP, overfitting, LogisticSettings.DEFAULT, ClassWeighting.NONE,
                ThresholdRule.HALF, 42).train(0, rows, loss -> {});
        double bestValidation = probe.curve().stream().mapToDouble(EpochLoss::validationLoss).min().orElseThrow();
        assertThat(probe.curve()).hasSize(probe.bestEpoch() + 5);
        assertThat(probe.curve().get(probe.bestEpoch() - 1).validationLoss()).isEqualTo(bestValidation);
    }

    @Test
    void meanDifferenceDirectionIsTheNormalizedDifferenceOfClassMeans() {
        LayerRows.Labelled rows = new LayerRows.Labelled(Nd4j.createFromArray(new float[][] {
            {1, 0, 2}, {3, 0, 2}, {0, 1, 5}, {0, 3, 1}}), new long[] {1, 1, 0, 0});
        // positive mean (2, 0, 2), negative mean (0, 2, 3): difference (2, -2, -1), norm 3
        assertThat(LayerDirections.meanDifference(rows)).containsExactly(new float[] {2f / 3, -2f / 3, -1f / 3}, within(1e-6f));
    }

    @Test
    void logisticDirectionIsMappedBackThroughTheStandardization() {
        Standardizer standardizer = new Standardizer(new float[] {5, -1}, new float[] {2, 0.5f});
        TrainedProbe probe = new TrainedProbe(ProbeKind.LOGISTIC, 0, standardizer,
                List.of(new AffineLayer(new float[][] {{3, 1}}, new float[] {0.5f})), "relu", 0.5, "fixed",
                BinaryMetrics.of(new double[] {0.2, 0.8}, new long[] {0, 1}, 0.5),
                BinaryMetrics.of(new double[] {0.2, 0.8}, new long[] {0, 1}, 0.5), List.of(), 1, 0);
        // logit = 3 (x0 - 5) / 2 + (x1 + 1) / 0.5 + 0.5: gradient (1.5, 2), norm 2.5
        assertThat(probe.rawDirection()).containsExactly(new float[] {0.6f, 0.8f}, within(1e-6f));
        double[] p = SyntheticRows.probabilities(probe, Nd4j.createFromArray(new float[][] {{5, -1}, {7, -0.5f}}));
        assertThat(p[0]).isCloseTo(1 / (1 + Math.exp(-0.5)), within(1e-6));
        assertThat(p[1]).isCloseTo(1 / (1 + Math.exp(-(3 + 1 + 0.5))), within(1e-6));
    }
}
