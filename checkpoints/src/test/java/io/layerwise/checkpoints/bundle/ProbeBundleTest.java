package io.layerwise.checkpoints.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.SafetensorsWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe and direction bundles: probabilities against hand computations, the on-disk layout (PyTorch
 * names and shapes, snake_case card), round trips, and reads that fail with the file and field or
 * tensor named.
 */
class ProbeBundleTest {
    @TempDir
    Path temp;

    /** mean [1, -1], std [2, 0.5]: x = [3, 0] standardizes to z = [1, 2]. */
    private static final float[] MEAN = {1, -1};
    private static final float[] STD = {2, 0.5f};
    private static final float[] X = {3, 0};

    private static ProbeBundle handMlp(ProbeActivation activation) {
        ProbeCard base = TestBundles.probeCard(BundleKind.MLP, 3, MEAN, STD, 0.8);
        ProbeCard card = TestBundles.with(base, activation, new ProbeCard.Threshold(0.2, "validation_f1"));
        return new ProbeBundle(card, List.of(
                new AffineLayer(new float[][] {{1, -1}, {0.5f, 0.5f}}, new float[] {0.5f, 0}),
                new AffineLayer(new float[][] {{2, -1}}, new float[] {0.25f})));
    }

    @Test
    void mlpProbabilityMatchesAHandComputation() {
        // W1 z + b1 = [1 - 2 + 0.5, 0.5 + 1 + 0] = [-0.5, 1.5]; relu -> [0, 1.5];
        // W2 h + b2 = 0 - 1.5 + 0.25 = -1.25; sigmoid(-1.25)
        assertThat(handMlp(ProbeActivation.RELU).probability(X)).isCloseTo(1 / (1 + Math.exp(1.25)), offset(1e-12));
        // tanh: 2 tanh(-0.5) - tanh(1.5) + 0.25
        double logit = 2 * Math.tanh(-0.5) - Math.tanh(1.5) + 0.25;
        assertThat(handMlp(ProbeActivation.TANH).probability(X)).isCloseTo(1 / (1 + Math.exp(-logit)), offset(1e-12));
        // threshold 0.2: p = 0.2227 is class 1, at x = [1, -1] (z = 0): relu(b1) = [0.5, 0], logit 1.25 -> class 1 too;
        // x = [1, 1] (z = [0, 4]): [-3.5, 2] -> [0, 2] -> logit -1.75, p = 0.148 -> class 0
        assertThat(handMlp(ProbeActivation.RELU).predictions(new float[][] {X, {1, -1}, {1, 1}})).containsExactly(true, true, false);
    }

    @Test
    void logisticProbabilityMatchesAHandComputation() {
        ProbeBundle probe = new ProbeBundle(TestBundles.probeCard(BundleKind.LOGISTIC, 0, MEAN, STD, 0.7),
                List.of(new AffineLayer(new float[][] {{1, 2}}, new float[] {-1})));
        // z = [1, 2]: 1 + 4 - 1 = 4
        assertThat(probe.probabilities(new float[][] {X})[0]).isCloseTo(1 / (1 + Math.exp(-4)), offset(1e-12));
    }

    @Test
    void writesPyTorchNamesAndASnakeCaseCardAndReadsBackEqual() throws Exception {
        ProbeBundle random = TestBundles.randomProbe(BundleKind.MLP, 6, 4, 7, 2, 0.75);
        ProbeCard c = random.card();
        // AUROC is undefined when a test split holds one class: a NaN metric must round-trip too
        Map<String, Double> metrics = new java.util.LinkedHashMap<>(c.metrics());
        metrics.put("test_auroc", Double.NaN);
        ProbeBundle mlp = new ProbeBundle(new ProbeCard(c.format(), c.kind(), c.baseModel(), c.layer(), c.tap(), c.pooling(),
                c.maxLength(), c.paddingSide(), c.dim(), c.activation(), c.output(), c.standardization(), c.threshold(), c.method(),
                metrics, c.trainingConfig(), c.datasetFingerprint(), c.seed(), c.createdAt(), c.layerwiseVersion()), random.layers());
        Path dir = temp.resolve("mlp");
        mlp.write(dir);
        try (var files = Files.list(dir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("card.json", "probe.safetensors");
        }
        SafetensorsFile st = SafetensorsFile.open(dir.resolve("probe.safetensors"));
        assertThat(st.tensors().keySet()).containsExactlyInAnyOrder("0.weight", "0.bias", "2.weight", "2.bias",
                "standardize.mean", "standardize.std");
        assertThat(st.tensor("0.weight").shape()).containsExactly(4, 6);
        assertThat(st.tensor("2.weight").shape()).containsExactly(1, 4);
        assertThat(st.tensor("2.bias").shape()).containsExactly(1);
        JsonNode card = new ObjectMapper().readTree(dir.resolve("card.json").toFile());
        assertThat(card.get("format").asText()).isEqualTo("layerwise-bundle/1");
        assertThat(card.get("kind").asText()).isEqualTo("mlp");
        assertThat(card.get("base_model").get("weight_fingerprint").asText()).isEqualTo(TestBundles.FINGERPRINT);
        assertThat(card.get("max_length").asInt()).isEqualTo(128);
        assertThat(card.get("padding_side").asText()).isEqualTo("right");
        assertThat(card.get("activation").asText()).isEqualTo("relu");
        assertThat(card.get("threshold").get("chosen_by").asText()).isEqualTo("fixed");
        assertThat(card.get("standardization").get("std").size()).isEqualTo(6);
        assertThat(card.get("training_config").get("hidden_size").asInt()).isEqualTo(8);
        assertThat(card.has("method")).isFalse();

        ProbeBundle back = ProbeBundle.read(dir);
        assertThat(back.card()).isEqualTo(mlp.card());
        assertThat(back.layers()).isEqualTo(mlp.layers());
        float[][] rows = TestBundles.rows(3, 5, 6);
        assertThat(back.probabilities(rows)).containsExactly(mlp.probabilities(rows));

        ProbeBundle logistic = TestBundles.randomProbe(BundleKind.LOGISTIC, 6, 0, 8, 2, 0.7);
        logistic.write(temp.resolve("logistic"));
        assertThat(SafetensorsFile.open(temp.resolve("logistic/probe.safetensors")).tensors().keySet())
                .containsExactlyInAnyOrder("weight", "bias", "standardize.mean", "standardize.std");
        assertThat(ProbeBundle.read(temp.resolve("logistic")).layers()).isEqualTo(logistic.layers());

        DirectionBundle direction = TestBundles.randomDirection("mean_difference", 6, 9, 2, 0.7);
        direction.write(temp.resolve("direction"));
        DirectionBundle directionBack = DirectionBundle.read(temp.resolve("direction"));
        assertThat(directionBack.direction()).containsExactly(direction.direction());
        assertThat(directionBack.card().method()).isEqualTo("mean_difference");
        assertThatThrownBy(() -> ProbeBundle.read(temp.resolve("direction")))
                .isInstanceOf(BundleException.class).hasMessageContaining("probe.safetensors is missing");
    }

    @Test
    void rewritingReplacesABundleButNeverADirectoryWithOtherFiles() throws Exception {
        Path dir = temp.resolve("out");
        TestBundles.randomProbe(BundleKind.MLP, 4, 3, 1, 0, 0.5).write(dir);
        ProbeBundle second = TestBundles.randomProbe(BundleKind.LOGISTIC, 4, 0, 2, 1, 0.6);
        second.write(dir);
        assertThat(ProbeBundle.read(dir).card()).isEqualTo(second.card());
        try (var files = Files.list(temp)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("out");
        }

        Path mine = temp.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        assertThatThrownBy(() -> second.write(mine)).isInstanceOf(BundleException.class)
                .hasMessageContaining(mine + " holds notes.txt, which is not part of a bundle");
        assertThat(mine.resolve("notes.txt")).hasContent("keep me");
    }

    @Test
    void unknownFormatVersionIsRefusedNamingTheFile() throws Exception {
        Path dir = writeAndEditCard(card -> card.put("format", "layerwise-bundle/2"));
        assertThatThrownBy(() -> ProbeBundle.read(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining(dir.resolve("card.json") + ": field format is 'layerwise-bundle/2', but this Layerwise reads layerwise-bundle/1");
    }

    @Test
    void malformedCardFieldsAreNamed() throws Exception {
        Path wrongType = writeAndEditCard(card -> card.put("max_length", "long"));
        assertThatThrownBy(() -> ProbeBundle.read(wrongType)).isInstanceOf(BundleException.class)
                .hasMessageContaining(wrongType.resolve("card.json") + ": field max_length:");
        Path badKind = writeAndEditCard(card -> card.put("kind", "svm"));
        assertThatThrownBy(() -> ProbeBundle.read(badKind)).hasMessageContaining("field kind:").hasMessageContaining("svm");
        Path missing = writeAndEditCard(card -> card.remove("base_model"));
        assertThatThrownBy(() -> ProbeBundle.read(missing)).hasMessageContaining(missing.resolve("card.json") + ": base_model: is required");
        Path badStd = writeAndEditCard(card -> ((com.fasterxml.jackson.databind.node.ArrayNode) card.get("standardization").get("std")).set(1, 0));
        assertThatThrownBy(() -> ProbeBundle.read(badStd)).hasMessageContaining("standardization.std[1]: must be positive");
        Path typo = writeAndEditCard(card -> card.put("treshold", 0.3));
        assertThatThrownBy(() -> ProbeBundle.read(typo)).hasMessageContaining("treshold");
        Path notJson = writeAndEditCard(card -> card.removeAll());
        Files.writeString(notJson.resolve("card.json"), "{\"format\": ");
        assertThatThrownBy(() -> ProbeBundle.read(notJson)).hasMessageContaining(notJson.resolve("card.json") + " is not valid JSON");
        assertThatThrownBy(() -> ProbeBundle.read(temp.resolve("nowhere"))).hasMessageContaining("is not a bundle directory");
    }

    @Test
    void missingUnexpectedAndMisShapedTensorsAreNamed() throws Exception {
        ProbeBundle probe = TestBundles.randomProbe(BundleKind.MLP, 4, 3, 5, 1, 0.5);
        Path missing = rewriteTensors(probe, "missing", tensors -> tensors.remove("2.bias"));
        assertThatThrownBy(() -> ProbeBundle.read(missing)).isInstanceOf(BundleException.class)
                .hasMessageContaining(missing.resolve("probe.safetensors") + ": missing tensor(s) [2.bias]");
        Path extra = rewriteTensors(probe, "extra", tensors -> tensors.put("4.weight", FloatTensor.vector(new float[] {1})));
        assertThatThrownBy(() -> ProbeBundle.read(extra)).hasMessageContaining("unexpected tensor(s) [4.weight]");
        Path shape = rewriteTensors(probe, "shape", tensors -> tensors.put("2.weight", FloatTensor.vector(new float[] {1, 2, 3})));
        assertThatThrownBy(() -> ProbeBundle.read(shape))
                .hasMessageContaining(shape.resolve("probe.safetensors") + ": tensor '2.weight' has shape [3], expected [1, 3]");
        Path std = rewriteTensors(probe, "std", tensors -> tensors.put("standardize.std", FloatTensor.vector(new float[] {1, 1, 1, 1})));
        assertThatThrownBy(() -> ProbeBundle.read(std)).hasMessageContaining("differ from the card's standardization");
        Path notUnit = temp.resolve("not-unit");
        TestBundles.randomDirection("logistic", 4, 3, 0, 0.5).write(notUnit);
        new SafetensorsWriter().putFloat32("direction", new long[] {4}, new float[] {1, 1, 0, 0}).write(notUnit.resolve("direction.safetensors"));
        assertThatThrownBy(() -> DirectionBundle.read(notUnit)).hasMessageContaining("tensor 'direction' has norm 1.414");
    }

    private Path writeAndEditCard(java.util.function.Consumer<ObjectNode> edit) throws Exception {
        Path dir = Files.createTempDirectory(temp, "card");
        TestBundles.randomProbe(BundleKind.MLP, 4, 3, 5, 1, 0.5).write(dir);
        ObjectMapper json = new ObjectMapper();
        ObjectNode card = (ObjectNode) json.readTree(dir.resolve("card.json").toFile());
        edit.accept(card);
        Files.writeString(dir.resolve("card.json"), json.writeValueAsString(card));
        return dir;
    }

    private Path rewriteTensors(ProbeBundle probe, String name, java.util.function.Consumer<Map<String, FloatTensor>> edit) {
        Path dir = temp.resolve(name);
        probe.write(dir);
        Map<String, FloatTensor> tensors = new java.util.TreeMap<>(probe.tensors());
        edit.accept(tensors);
        SafetensorsWriter writer = new SafetensorsWriter();
        tensors.forEach((k, t) -> writer.putFloat32(k, t.shape(), t.values()));
        writer.write(dir.resolve("probe.safetensors"));
        return dir;
    }
}
