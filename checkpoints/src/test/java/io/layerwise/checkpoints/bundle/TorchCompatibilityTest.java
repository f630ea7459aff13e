package io.layerwise.checkpoints.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.models.weights.SafetensorsWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyTorch loads the bundles as the README says: {@code load_state_dict(strict=True)} into
 * {@code Sequential(Linear, <activation>, Linear)} for MLP probes and into one {@code Linear} for
 * logistic probes, with no missing or unexpected key once {@code standardize.*} is taken out, and
 * torch's float32 forward pass gives Java's probabilities to 1e-5. Needs Debian's {@code python3-torch}
 * at {@code /usr/bin/python3}, so it runs only in {@code mvn -B test -P python-torch}.
 */
@Tag("python-torch")
class TorchCompatibilityTest {
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path temp;

    @Test
    void torchLoadsStrictlyAndAgreesWithJava() throws Exception {
        String script = ReadmeSnippet.code() + String.join("\n",
                "",
                "import sys",
                "import torch",
                "card, t = load_probe(sys.argv[1])",
                "x = read_safetensors(sys.argv[2])['x']",
                "state = {k: torch.from_numpy(v.astype(np.float32)) for k, v in t.items() if not k.startswith('standardize.')}",
                "d = card['dim']",
                "if card['kind'] == 'mlp':",
                "    act = {'relu': torch.nn.ReLU(), 'tanh': torch.nn.Tanh(), 'sigmoid': torch.nn.Sigmoid()}[card['activation']]",
                "    model = torch.nn.Sequential(torch.nn.Linear(d, state['0.weight'].shape[0]), act,",
                "                                torch.nn.Linear(state['0.weight'].shape[0], 1))",
                "else:",
                "    model = torch.nn.Linear(d, 1)",
                "keys = model.load_state_dict(state, strict=True)",
                "z = (x - t['standardize.mean']) / t['standardize.std']",
                "with torch.no_grad():",
                "    p = torch.sigmoid(model(torch.from_numpy(z.astype(np.float32))))[:, 0]",
                "print(json.dumps({'torch': torch.__version__, 'missing': keys.missing_keys, 'unexpected': keys.unexpected_keys,",
                "                  'p': p.double().tolist()}))",
                "");
        int n = 30;
        int d = 16;
        ProbeBundle[] probes = {
            TestBundles.randomProbe(BundleKind.MLP, d, 8, 301, 2, 0.8),
            ReadmeSnippetTest.withActivation(TestBundles.randomProbe(BundleKind.MLP, d, 8, 302, 2, 0.8), ProbeActivation.TANH),
            TestBundles.randomProbe(BundleKind.LOGISTIC, d, 0, 303, 2, 0.8)};
        for (int k = 0; k < probes.length; k++) {
            Path dir = temp.resolve("probe" + k);
            probes[k].write(dir);
            float[][] rows = TestBundles.rows(400 + k, n, d);
            Path features = temp.resolve("x" + k + ".safetensors");
            new SafetensorsWriter().putFloat32("x", new long[] {n, d}, FloatTensor.matrix(rows).values()).write(features);

            Process python = new ProcessBuilder(PYTHON, "-c", script, dir.toString(), features.toString())
                    .redirectErrorStream(true).start();
            String text = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(python.waitFor(300, TimeUnit.SECONDS)).isTrue();
            assertThat(python.exitValue()).as(text).isZero();
            JsonNode out = new ObjectMapper().readTree(text.lines().reduce((a, b) -> b).orElseThrow());
            assertThat(out.get("torch").asText()).startsWith("1.13");
            assertThat(out.get("missing")).isEmpty();
            assertThat(out.get("unexpected")).isEmpty();
            double[] java = probes[k].probabilities(rows);
            for (int i = 0; i < n; i++) {
                assertThat(out.get("p").get(i).asDouble()).as("%s row %d", probes[k].card().kind(), i)
                        .isCloseTo(java[i], org.assertj.core.data.Offset.offset(1e-5));
            }
        }
    }
}
