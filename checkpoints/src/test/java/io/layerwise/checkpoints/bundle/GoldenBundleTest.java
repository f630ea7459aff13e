package io.layerwise.checkpoints.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Format compatibility: the checked-in version-1 bundles (golden-v1/README.md says how they were made)
 * still read, with the card fields they were written with, and give the probabilities that numpy
 * computed from them when they were made.
 */
class GoldenBundleTest {
    static final Path GOLDEN = resource("golden-v1");

    static Path resource(String name) {
        try {
            return Path.of(GoldenBundleTest.class.getResource(name).toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void versionOneMlpBundleReadsWithItsCardAndProbabilities() throws Exception {
        ProbeBundle mlp = ProbeBundle.read(GOLDEN.resolve("mlp"));
        ProbeCard card = mlp.card();
        assertThat(card.format()).isEqualTo("layerwise-bundle/1");
        assertThat(card.kind()).isEqualTo(BundleKind.MLP);
        assertThat(card.baseModel()).isEqualTo(new ProbeCard.BaseModel("all-minilm-l6-v2", "sha256:0123456789abcdef", "bert", "f32"));
        assertThat(card.layer()).isEqualTo(2);
        assertThat(card.tap()).isEqualTo("residual");
        assertThat(card.pooling()).isEqualTo("mean");
        assertThat(card.maxLength()).isEqualTo(128);
        assertThat(card.paddingSide()).isEqualTo("right");
        assertThat(card.dim()).isEqualTo(4);
        assertThat(card.activation()).isEqualTo(ProbeActivation.RELU);
        assertThat(card.threshold()).isEqualTo(new ProbeCard.Threshold(0.5, "fixed"));
        assertThat(card.standardization().mean()).containsExactly(-1.9439937f, -1.111531f, -0.26160997f, 0.83106136f);
        assertThat(card.testF1()).hasValue(0.875);
        assertThat(card.trainingConfig()).containsEntry("hidden_size", 8);
        assertThat(card.seed()).isEqualTo(42);
        assertThat(card.createdAt()).isEqualTo("2026-11-24T12:00:00Z");
        assertThat(mlp.layers().get(0).outputs()).isEqualTo(3);
        assertProbabilities(mlp, "mlp");
    }

    @Test
    void versionOneLogisticBundleReadsWithItsProbabilities() throws Exception {
        ProbeBundle logistic = ProbeBundle.read(GOLDEN.resolve("logistic"));
        assertThat(logistic.card().kind()).isEqualTo(BundleKind.LOGISTIC);
        assertThat(logistic.card().activation()).isNull();
        assertThat(logistic.card().layer()).isEqualTo(1);
        assertProbabilities(logistic, "logistic");
    }

    private static void assertProbabilities(ProbeBundle probe, String kind) throws Exception {
        JsonNode expected = new ObjectMapper().readTree(GOLDEN.resolve("expected.json").toFile());
        JsonNode inputs = expected.get("inputs");
        float[][] rows = new float[inputs.size()][];
        for (int r = 0; r < rows.length; r++) {
            rows[r] = new float[inputs.get(r).size()];
            for (int c = 0; c < rows[r].length; c++) {
                rows[r][c] = (float) inputs.get(r).get(c).asDouble();
            }
        }
        double[] p = probe.probabilities(rows);
        assertThat(p).hasSize(expected.get(kind).size());
        for (int r = 0; r < p.length; r++) {
            assertThat(p[r]).as("%s row %d", kind, r).isCloseTo(expected.get(kind).get(r).asDouble(), offset(1e-12));
        }
    }
}
