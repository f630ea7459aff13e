package io.layerwise.checkpoints.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.datasets.testing.NumpyPython;
import io.layerwise.models.weights.SafetensorsWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's numpy snippet, extracted between its markers and run with numpy, reproduces Java's
 * probabilities for MLP probes (each activation) and a logistic probe, to 1e-5, on rows that spread
 * over both classes.
 */
class ReadmeSnippetTest {
    @TempDir
    Path temp;

    @Test
    void numpySnippetReproducesJavaProbabilities() throws Exception {
        String driver = "\nimport sys\n"
                + "card, t = load_probe(sys.argv[1])\n"
                + "x = read_safetensors(sys.argv[2])['x']\n"
                + "print(json.dumps(probabilities(card, t, x).tolist()))\n";
        String script = ReadmeSnippet.code() + driver;
        int checked = 0;
        for (ProbeBundle probe : new ProbeBundle[] {
            TestBundles.randomProbe(BundleKind.MLP, 24, 10, 101, 3, 0.8),
            withActivation(TestBundles.randomProbe(BundleKind.MLP, 24, 10, 102, 3, 0.8), ProbeActivation.TANH),
            withActivation(TestBundles.randomProbe(BundleKind.MLP, 24, 10, 103, 3, 0.8), ProbeActivation.SIGMOID),
            TestBundles.randomProbe(BundleKind.LOGISTIC, 24, 0, 104, 3, 0.8)}) {
            Path dir = temp.resolve("probe" + checked);
            probe.write(dir);
            float[][] rows = TestBundles.rows(200 + checked, 40, 24);
            Path features = temp.resolve("x" + checked + ".safetensors");
            new SafetensorsWriter().putFloat32("x", new long[] {40, 24}, FloatTensor.matrix(rows).values()).write(features);

            NumpyPython.Output out = NumpyPython.run(script, dir.toString(), features.toString());
            assertThat(out.status()).as(out.text()).isZero();
            JsonNode numpy = new ObjectMapper().readTree(out.text().lines().reduce((a, b) -> b).orElseThrow());
            double[] java = probe.probabilities(rows);
            assertThat(numpy.size()).isEqualTo(java.length);
            int positive = 0;
            for (int i = 0; i < java.length; i++) {
                assertThat(numpy.get(i).asDouble()).as("%s row %d", probe.card().kind(), i)
                        .isCloseTo(java[i], org.assertj.core.data.Offset.offset(1e-5));
                positive += java[i] >= 0.5 ? 1 : 0;
            }
            assertThat(positive).as("rows on both sides of 0.5").isBetween(3, 37);
            checked++;
        }
        assertThat(checked).isEqualTo(4);
    }

    static ProbeBundle withActivation(ProbeBundle probe, ProbeActivation activation) {
        return new ProbeBundle(TestBundles.with(probe.card(), activation, probe.card().threshold()), probe.layers());
    }
}
