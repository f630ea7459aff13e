package io.layerwise.trainers.sanitize;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.checkpoints.bundle.DirectionBundle;
import io.layerwise.checkpoints.bundle.ProbeBundle;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.ExtractionPlan;
import io.layerwise.datasets.extract.PooledForward;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.datasets.store.StoreLayout;
import io.layerwise.models.runtime.DirectionAblation;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.Workload;
import io.layerwise.models.tokenizer.TextTokenizer;
import io.layerwise.trainers.probes.BinaryMetrics;
import io.layerwise.trainers.probes.TrainConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeSet;

/**
 * {@code layerwise sanitize}: the seed's sanitization sweep (Eq. 3, Tables 7 and 8). Layers are ranked
 * by the test F1 of the train run's probes; for each direction method, each n and each alpha the
 * method's per-layer direction is ablated ({@code h <- h - alpha (h.v) v}) at the top-n layers inside
 * the base model's forward pass, the readout layer is re-extracted for the test texts with the store's
 * pooling, and the readout probe (trained on clean activations) scores it at its own threshold. Ablations
 * at layers after the readout layer cannot change it and are listed but have no effect.
 *
 * <p>Also the cheap variant, labelled {@code cached readout projection} everywhere: the cached test
 * rows of the readout layer projected with the readout layer's own direction, with no forward pass.
 *
 * <p>Resumable: every finished cell is recorded in {@code cells.json} with the inputs it depends on, and a
 * rerun of the same config skips it.
 */
public final class SanitizationStudy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CELLS = "cells.json";

    private final SanitizeConfig config;
    private final PrintStream log;
    private final Path trainRun;
    private final TrainConfig train;
    private final ActivationStore store;
    private final int readoutLayer;
    private final ProbeBundle readout;
    private final List<Integer> ranked;

    /** Checks the train run, its store and bundles before any model is loaded. */
    public SanitizationStudy(SanitizeConfig config, PrintStream log) {
        this.config = config;
        this.log = log;
        this.trainRun = Path.of(config.run());
        Path resolved = trainRun.resolve("config.resolved.yaml");
        if (!Files.isRegularFile(resolved)) {
            throw new DatasetException("run: " + trainRun + " is not a layerwise train run (no config.resolved.yaml)");
        }
        this.train = ConfigLoader.load(resolved, List.of(), TrainConfig.class).value();
        if (train.tap() != ActivationTap.RESIDUAL) {
            throw new DatasetException("run: " + trainRun + " probed the " + train.tap().configName()
                    + " tap; sanitization ablates directions of the residual stream, so it needs a residual run");
        }
        this.store = ActivationStore.open(Path.of(train.storeDirectory()));
        SortedMap<Integer, Path> probed = config.rankBy().bundles().layers(trainRun);
        if (probed.isEmpty()) {
            throw new DatasetException("run: " + trainRun + " has no " + config.rankBy().configName()
                    + " probes to rank layers by (rank_by)");
        }
        Map<Integer, Double> f1 = new LinkedHashMap<>();
        probed.forEach((layer, dir) -> f1.put(layer, ProbeBundle.read(dir).card().testF1().orElseThrow(
                () -> new DatasetException(dir + " records no test_f1 to rank layers by"))));
        this.ranked = f1.keySet().stream()
                .sorted(Comparator.comparing((Integer l) -> -f1.get(l)).thenComparing(l -> l)).toList();
        this.readoutLayer = config.readoutLayer() != null ? config.readoutLayer() : probed.lastKey();
        Path readoutDir = config.readoutProbe().bundles().directory(trainRun, readoutLayer);
        if (!Files.isDirectory(readoutDir)) {
            throw new DatasetException("readout_layer: " + trainRun + " has no " + config.readoutProbe().configName()
                    + " probe for layer " + readoutLayer + " (probed layers: " + probed.keySet() + ")");
        }
        this.readout = ProbeBundle.read(readoutDir);
        for (DirectionMethod method : config.directions()) {
            for (int layer : ranked) {
                if (!Files.isDirectory(method.bundles().directory(trainRun, layer))) {
                    throw new DatasetException("directions: " + trainRun + " has no " + method.configName()
                            + " direction for layer " + layer + " (train a logistic probe for Eq. 2 directions)");
                }
            }
        }
    }

    /** One point of the sweep. */
    public record Cell(String variant, String method, int n, double alpha, List<Integer> layers, BinaryMetrics metrics) {}

    /** The sweep's cells and the report. */
    public record Result(List<Cell> cells, Path report) {}

    /** What the sweep will do, for {@code --dry-run} and the log. */
    public String describe() {
        return String.format("sanitize: readout %s probe at layer %d; layers ranked by %s test F1: %s; %s x top_n %s x alphas %s%n",
                config.readoutProbe().configName(), readoutLayer, config.rankBy().configName(), ranked,
                config.directions().stream().map(DirectionMethod::configName).toList(), topN(), config.alphas());
    }

    public Result run() {
        RunDirectory run = RunDirectory.create(Path.of(config.output()));
        run.writeText("config.resolved.yaml", ConfigLoader.toYaml(config));
        String inputs = inputsKey();
        Map<String, Cell> done = readCells(run, inputs);
        if (!done.isEmpty()) {
            log.printf("sanitize: resuming, %d cell(s) already done%n", done.size());
        }

        long[] labels = store.labels(Split.TEST);
        double threshold = readout.card().threshold().value();
        List<Cell> cells = new ArrayList<>();
        float[][] cached = store.rows(ActivationTap.RESIDUAL, readoutLayer, Split.TEST).toFloatMatrix();
        for (DirectionMethod method : config.directions()) {
            float[] v = DirectionBundle.read(method.bundles().directory(trainRun, readoutLayer)).direction();
            for (double alpha : config.alphas()) {
                cells.add(new Cell("cached", method.configName(), 1, alpha, List.of(readoutLayer),
                        BinaryMetrics.of(readout.probabilities(project(cached, v, alpha)), labels, threshold)));
            }
        }

        ExtractionPlan plan = ExtractionPlan.create(ConfigLoader.load(store.directory().resolve(StoreLayout.RESOLVED_CONFIG),
                List.of("output=" + store.directory()), ExtractionConfig.class));
        List<long[]> sequences = testSequences(plan);
        Workload workload = Workload.forward(config.batchSize(), plan.config().maxLength(),
                Taps.of(ActivationTap.RESIDUAL.kind()).onLayers(readoutLayer));
        FrozenTransformer model = null;
        try {
            for (DirectionMethod method : config.directions()) {
                Map<Integer, float[]> directions = new LinkedHashMap<>();
                for (int layer : ranked) {
                    directions.put(layer, DirectionBundle.read(method.bundles().directory(trainRun, layer)).direction());
                }
                for (int n : topN()) {
                    List<Integer> layers = List.copyOf(new TreeSet<>(ranked.subList(0, n)));
                    for (double alpha : config.alphas()) {
                        String key = method.configName() + "/" + n + "/" + alpha;
                        Cell cell = done.get(key);
                        if (cell == null) {
                            if (model == null) {
                                model = ModelLoader.load(plan.config().model(), plan.config().precision(), workload);
                                requireSameWeights(model);
                            }
                            Interventions ablation = Interventions.none();
                            for (int layer : layers) {
                                ablation = ablation.withAblation(new DirectionAblation(Set.of(layer), directions.get(layer), (float) alpha));
                            }
                            float[][] rows = PooledForward.rows(model, sequences, new PooledForward.Target(ActivationTap.RESIDUAL,
                                    readoutLayer), plan.config().pooling(), plan.paddingSide(), config.batchSize(), ablation);
                            cell = new Cell("forward", method.configName(), n, alpha, layers,
                                    BinaryMetrics.of(readout.probabilities(rows), labels, threshold));
                            done.put(key, cell);
                            writeCells(run, inputs, done);
                        }
                        log.printf("sanitize: %s n=%d alpha=%s layers %s: F1 %.3f, accuracy %.3f, TPR %.3f, FPR %.3f%n",
                                method.configName(), n, alpha, layers, cell.metrics().f1(), cell.metrics().accuracy(),
                                cell.metrics().tpr(), cell.metrics().fpr());
                        cells.add(cell);
                    }
                }
            }
        } finally {
            if (model != null) {
                model.close();
            }
        }
        SanitizationReport.write(run, cells, config);
        Path report = run.writeReport("Sanitization sweep: " + store.manifest().model().id() + ", readout layer " + readoutLayer);
        return new Result(cells, report);
    }

    /** The distinct top-n counts, each capped at the number of probed layers. */
    private List<Integer> topN() {
        return config.topN().stream().map(n -> Math.min(n, ranked.size())).distinct().toList();
    }

    /** {@code x - alpha (x.v) v} for every row: Eq. 3 on cached activations. */
    static float[][] project(float[][] rows, float[] v, double alpha) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double dot = 0;
            for (int j = 0; j < v.length; j++) {
                dot += (double) rows[i][j] * v[j];
            }
            out[i] = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                out[i][j] = (float) (rows[i][j] - alpha * dot * v[j]);
            }
        }
        return out;
    }

    private List<long[]> testSequences(ExtractionPlan plan) {
        List<long[]> sequences = new ArrayList<>();
        try (TextTokenizer tokenizer = TextTokenizer.load(plan.model().tokenizer())) {
            for (int i = 0; i < plan.examples().size(); i++) {
                if (plan.splits().get(i) == Split.TEST) {
                    Example e = plan.examples().get(i);
                    sequences.add(tokenizer.encode(e.text(), plan.config().maxLength()));
                }
            }
        }
        if (sequences.size() != store.labels(Split.TEST).length) {
            throw new DatasetException(store.directory() + ": its data set now gives " + sequences.size()
                    + " test texts but the store holds " + store.labels(Split.TEST).length + "; the data changed since extraction");
        }
        return sequences;
    }

    private void requireSameWeights(FrozenTransformer model) {
        String expected = store.manifest().model().weightFingerprint();
        if (!model.weightFingerprint().equals(expected)) {
            throw new DatasetException("the model at " + model.id() + " has weights " + model.weightFingerprint()
                    + " but the store was extracted from " + expected);
        }
    }

    /** Everything a cell depends on besides its own (method, n, alpha). */
    private String inputsKey() {
        return String.join("|", store.manifest().model().weightFingerprint(), store.manifest().dataset().fingerprint(),
                readout.card().createdAt(), String.valueOf(readoutLayer), ranked.toString(), String.valueOf(config.batchSize()));
    }

    private static Map<String, Cell> readCells(RunDirectory run, String inputs) {
        Map<String, Cell> cells = new LinkedHashMap<>();
        Path file = run.resolve(CELLS);
        if (!Files.isRegularFile(file)) {
            return cells;
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (!inputs.equals(root.path("inputs").asText())) {
                return cells;
            }
            root.path("cells").fields().forEachRemaining(e -> cells.put(e.getKey(), JSON.convertValue(e.getValue(), Cell.class)));
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage() + "; delete it to start the sweep over", e);
        }
        return cells;
    }

    private static void writeCells(RunDirectory run, String inputs, Map<String, Cell> cells) {
        ObjectNode root = JSON.createObjectNode().put("inputs", inputs);
        ObjectNode byKey = root.putObject("cells");
        cells.forEach((key, cell) -> byKey.set(key, JSON.valueToTree(cell)));
        run.writeJson(CELLS, root);
    }
}
