package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.datasets.testing.NumpyPython;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.datasets.store.StoreManifest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@code layerwise extract} on the quick-start config: the bundled MiniLM over the illustrative
 * Jigsaw-format comments (multi-line quoted rows included) gives a complete store that numpy and the
 * ND4J reader read alike; a dry run writes nothing; config mistakes and a store of another
 * configuration are refused with exit status 2 before the model loads.
 */
class ExtractCommandTest {
    static final Path REPO = Path.of("").toAbsolutePath().getParent();
    static final Path QUICKSTART_CONFIG = REPO.resolve("configs/quickstart-extract.yaml");
    static final Path QUICKSTART_DATA = REPO.resolve("data/quickstart/jigsaw-illustrative/train.csv");

    @TempDir
    Path temp;

    @Test
    void quickstartConfigWritesAStoreThatNumpyAndNd4jReadAlike() throws Exception {
        Path out = temp.resolve("store");
        Result r = run("extract", QUICKSTART_CONFIG.toString(), "-s", "dataset.path=" + QUICKSTART_DATA, "-s", "output=" + out);
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).contains("300 examples").contains("extracted 300 examples");

        StoreManifest manifest = StoreManifest.read(out);
        assertThat(manifest.complete()).isTrue();
        assertThat(manifest.rows()).isEqualTo(300);
        assertThat(manifest.taps().get(0).layers()).containsExactly(0, 1, 2, 3, 4, 5, 6);
        // 300 comments although the file has more lines: the quoted multi-line comments are one row each
        assertThat(Files.readAllLines(QUICKSTART_DATA).size()).isGreaterThan(301 + 50);
        assertThat(Files.readString(out.resolve("config.resolved.yaml"))).contains("pooling: mean", "shard_size: 2048");

        ActivationStore store = ActivationStore.open(out);
        INDArray test = store.rows(ActivationTap.RESIDUAL, 6, Split.TEST);
        assertThat(test.shape()).containsExactly(45, 384);
        String script = String.join("\n",
                "import numpy as np, sys, json",
                "d = sys.argv[1]",
                "x = np.load(d + '/residual/layer_6/shard_00000.npy', mmap_mode='r')",
                "s = np.load(d + '/splits.npy', mmap_mode='r'); y = np.load(d + '/labels.npy', mmap_mode='r')",
                "t = np.asarray(x[s == 2], dtype=np.float32)",
                "print(json.dumps({'shape': list(x.shape), 'dtype': str(x.dtype), 'sum': float(t.sum(dtype=np.float64)),",
                "  'first': t[0, :4].tolist(), 'labels': int(y.sum()), 'train': int((s == 0).sum())}))");
        NumpyPython.Output python = NumpyPython.run(script, out.toString());
        assertThat(python.status()).as(python.text()).isZero();
        String json = python.text();
        var numpy = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertThat(numpy.get("shape").toString()).isEqualTo("[300,384]");
        assertThat(numpy.get("dtype").asText()).isEqualTo("float16");
        assertThat(numpy.get("sum").asDouble()).isCloseTo(test.sumNumber().doubleValue(), org.assertj.core.data.Offset.offset(1e-3));
        for (int d = 0; d < 4; d++) {
            assertThat((float) numpy.get("first").get(d).asDouble()).isEqualTo(test.getFloat(0, d));
        }
        assertThat(numpy.get("labels").asLong()).isEqualTo(java.util.Arrays.stream(store.labels()).sum()).isEqualTo(120);
        assertThat(numpy.get("train").asInt()).isEqualTo(210);

        Result again = run("extract", QUICKSTART_CONFIG.toString(), "-s", "dataset.path=" + QUICKSTART_DATA, "-s", "output=" + out);
        assertThat(again.status).isZero();
        assertThat(again.out).contains("already complete");
    }

    @Test
    void dryRunPrintsThePlanAndWritesNothing() {
        Path out = temp.resolve("never");
        Result r = run("extract", QUICKSTART_CONFIG.toString(), "--dry-run", "-s", "dataset.path=" + QUICKSTART_DATA,
                "-s", "output=" + out, "-s", "pooling=none", "-s", "taps=[residual, mlp]", "-s", "layers=[0, 5]");
        assertThat(r.status).as(r.err).isZero();
        assertThat(r.out).contains("300 examples", "train 210, validation 45, test 45", "residual, dim 384, layers [0, 5]",
                "mlp, dim 1536", "batches", "on disk", "store     new");
        assertThat(r.out).contains("5,183 rows per layer");
        assertThat(out).doesNotExist();
    }

    @Test
    void layerOutOfRangeIsRefusedWithFileLineAndField() throws IOException {
        Path config = temp.resolve("bad.yaml");
        Files.writeString(config, Files.readString(QUICKSTART_CONFIG).replace("taps: [residual]", "taps: [residual, mlp]")
                .replace("layers: all", "layers: [0, 6]"));
        Result r = run("extract", config.toString(), "-s", "dataset.path=" + QUICKSTART_DATA, "-s", "output=" + temp.resolve("o"));
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains(config + ":17:1: layers: layer 6 does not exist for tap mlp of all-minilm-l6-v2, whose layers are 0..5");
    }

    @Test
    void missingDatasetNamesTheOverrideThatSetIt() {
        Result r = run("extract", QUICKSTART_CONFIG.toString(), "--dry-run", "-s", "dataset.path=nowhere.csv");
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("-s dataset.path=nowhere.csv: dataset.path: no such file or directory: nowhere.csv");
    }

    @Test
    void storeOfAnotherConfigurationIsRefusedBeforeTheModelLoads() {
        Path out = temp.resolve("store");
        String[] base = {"extract", QUICKSTART_CONFIG.toString(), "-s", "dataset.path=" + QUICKSTART_DATA, "-s", "output=" + out,
            "-s", "layers=[1]"};
        assertThat(run(base).status).isZero();
        Result r = run(concat(base, "-s", "pooling=max", "-s", "layers=[1, 2]"));
        assertThat(r.status).isEqualTo(2);
        assertThat(r.err).contains("output: " + out + " holds activations of another configuration")
                .contains("pooling: store has \"mean\", config gives \"max\"")
                .contains("taps: store has")
                .doesNotContain("Exception");
        assertThat(StoreManifest.read(out).pooling()).isEqualTo("mean");
    }

    static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    record Result(int status, String out, String err) {}

    /** Runs the command line in this JVM, capturing what it prints. */
    static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Layerwise.run(args);
            return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }
}
