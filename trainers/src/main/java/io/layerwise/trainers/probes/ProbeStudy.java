package io.layerwise.trainers.probes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.checkpoints.run.LinePlot;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.checkpoints.run.Table;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.StoreManifest.TapInfo;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * {@code layerwise train}: every chosen layer of a store gets each configured probe kind, plus its two
 * harmful directions (Eq. 1 and 2). The run directory receives {@code tables/probes.{csv,md}} (one row
 * per layer and probe kind, test split, like the seed's Table 6), {@code metrics.json} (test and
 * validation metrics per kind, metric and layer, with means: what sweeps optimise),
 * {@code metrics.jsonl} (per-epoch losses), plots of each metric against the layer and of every loss
 * curve, every probe and direction as a bundle ({@link ProbeArtifacts}, laid out as
 * {@link io.layerwise.checkpoints.bundle.RunBundleKind} says) and {@code report.html}.
 */
public final class ProbeStudy {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ProbeStudy() {}

    /** The probes and directions of a finished study. */
    public record Result(List<TrainedProbe> probes, List<LayerDirections> directions, Path report) {}

    public static Result run(TrainConfig config, PrintStream log) {
        ActivationStore store = ActivationStore.open(Path.of(config.storeDirectory()));
        List<Integer> layers = layers(config, store);
        checkLabels(store);
        RunDirectory run = RunDirectory.create(Path.of(config.output()));
        run.writeText("config.resolved.yaml", ConfigLoader.toYaml(config));

        List<TrainedProbe> probes = new ArrayList<>();
        List<LayerDirections> directions = new ArrayList<>();
        StringBuilder epochs = new StringBuilder();
        int total = layers.size() * config.probes().size();
        long started = System.nanoTime();
        for (int layer : layers) {
            LayerRows rows = LayerRows.read(store, config.tap(), layer);
            float[] logisticDirection = null;
            for (ProbeKind kind : config.probes()) {
                TrainedProbe probe = config.trainer(kind).train(layer, rows, loss -> epochs.append(epochLine(kind, layer, loss)));
                probes.add(probe);
                if (kind == ProbeKind.LOGISTIC) {
                    logisticDirection = probe.rawDirection();
                }
                double elapsed = (System.nanoTime() - started) / 1e9;
                boolean lbfgs = kind == ProbeKind.LOGISTIC && config.logistic().solver().equals(LogisticSettings.LBFGS);
                log.printf("train: [%d/%d] layer %d %s: test F1 %.3f, accuracy %.3f, %s, %.1f s; %.0f s elapsed, about %.0f s left%n",
                        probes.size(), total, layer, kind.configName(), probe.test().f1(), probe.test().accuracy(),
                        lbfgs ? probe.curve().size() + " L-BFGS iterations"
                                : probe.curve().size() + " epochs (best " + probe.bestEpoch() + ")",
                        probe.seconds(), elapsed, elapsed / probes.size() * (total - probes.size()));
            }
            directions.add(new LayerDirections(layer, LayerDirections.meanDifference(rows.train()), logisticDirection));
            run.writeText("metrics.jsonl", epochs.toString());
        }
        ProbeArtifacts.of(config, store.manifest()).writeAll(run.root(), probes, directions);
        run.writeJson("metrics.json", metrics(probes));
        run.writeTable("probes", table(probes));
        writePlots(run, config, probes);
        Path report = run.writeReport("Probes on " + store.manifest().model().id() + " (" + config.tap().configName() + ")");
        return new Result(probes, directions, report);
    }

    private static List<Integer> layers(TrainConfig config, ActivationStore store) {
        TapInfo tap;
        try {
            tap = store.manifest().tap(config.tap());
        } catch (RuntimeException e) {
            throw new DatasetException(store.directory() + " has no " + config.tap().configName() + " tap: " + e.getMessage(), e);
        }
        if (config.layers().isAll()) {
            return tap.layers();
        }
        for (int layer : config.layers().indices()) {
            if (!tap.layers().contains(layer)) {
                throw new DatasetException("layers: the store " + store.directory() + " holds " + config.tap().configName()
                        + " layers " + tap.layers() + ", not layer " + layer);
            }
        }
        return config.layers().indices();
    }

    /** Probes are binary: every split must hold both labels 0 and 1 and nothing else. */
    private static void checkLabels(ActivationStore store) {
        for (Split split : Split.values()) {
            long[] labels = store.labels(split);
            long ones = Arrays.stream(labels).filter(l -> l == 1).count();
            long zeros = Arrays.stream(labels).filter(l -> l == 0).count();
            if (ones + zeros != labels.length) {
                throw new DatasetException(store.directory() + ": the " + split.name().toLowerCase(java.util.Locale.ROOT) + " split has labels other "
                        + "than 0 and 1 (e.g. " + Arrays.stream(labels).filter(l -> l != 0 && l != 1).findFirst().orElseThrow()
                        + "); probes need binary labels");
            }
            if (ones == 0 || zeros == 0) {
                throw new DatasetException(store.directory() + ": the " + split.name().toLowerCase(java.util.Locale.ROOT) + " split has " + ones
                        + " positive and " + zeros + " negative rows; every split needs both classes (more data, or other split fractions)");
            }
        }
    }

    private static String epochLine(ProbeKind kind, int layer, EpochLoss loss) {
        ObjectNode line = JSON.createObjectNode().put("probe", kind.configName()).put("layer", layer)
                .put("epoch", loss.epoch()).put("train_loss", loss.trainLoss()).put("validation_loss", loss.validationLoss());
        return line + "\n";
    }

    private static Table table(List<TrainedProbe> probes) {
        Table table = Table.withColumns("layer_idx", "probe", "f1", "accuracy", "tpr", "fpr", "precision", "recall",
                "auroc", "threshold", "best_epoch");
        for (TrainedProbe p : probes) {
            BinaryMetrics m = p.test();
            table = table.withRow(p.layer(), p.kind().configName(), m.f1(), m.accuracy(), m.tpr(), m.fpr(), m.precision(),
                    m.recall(), m.auroc(), p.threshold(), p.bestEpoch());
        }
        return table;
    }

    private static final Map<String, ToDoubleFunction<BinaryMetrics>> METRICS = Map.of(
            "f1", BinaryMetrics::f1, "accuracy", BinaryMetrics::accuracy, "precision", BinaryMetrics::precision,
            "recall", BinaryMetrics::recall, "tpr", BinaryMetrics::tpr, "fpr", BinaryMetrics::fpr,
            "auroc", BinaryMetrics::auroc);

    /** {@code {split: {kind: {metric: {layer: value, ..., "mean": value}}}}}. */
    static ObjectNode metrics(List<TrainedProbe> probes) {
        ObjectNode root = JSON.createObjectNode();
        for (String split : List.of("test", "validation")) {
            ObjectNode bySplit = root.putObject(split);
            for (TrainedProbe p : probes) {
                BinaryMetrics m = split.equals("test") ? p.test() : p.validation();
                ObjectNode byKind = bySplit.has(p.kind().configName()) ? (ObjectNode) bySplit.get(p.kind().configName())
                        : bySplit.putObject(p.kind().configName());
                new TreeMap<>(METRICS).forEach((name, metric) -> {
                    ObjectNode byLayer = byKind.has(name) ? (ObjectNode) byKind.get(name) : byKind.putObject(name);
                    byLayer.put(String.valueOf(p.layer()), metric.applyAsDouble(m));
                });
            }
            bySplit.fields().forEachRemaining(kind -> kind.getValue().fields().forEachRemaining(metric -> {
                ObjectNode byLayer = (ObjectNode) metric.getValue();
                double mean = 0;
                int count = 0;
                for (var it = byLayer.elements(); it.hasNext(); count++) {
                    mean += it.next().asDouble();
                }
                byLayer.put("mean", mean / count);
            }));
        }
        return root;
    }

    private static void writePlots(RunDirectory run, TrainConfig config, List<TrainedProbe> probes) {
        for (String metric : List.of("f1", "accuracy", "auroc")) {
            LinePlot plot = new LinePlot(metric.toUpperCase() + " by layer (test)", "layer", metric);
            for (ProbeKind kind : config.probes()) {
                List<TrainedProbe> ofKind = probes.stream().filter(p -> p.kind() == kind).toList();
                plot.series(kind.configName(), ofKind.stream().map(TrainedProbe::layer).toList(),
                        ofKind.stream().map(p -> METRICS.get(metric).applyAsDouble(p.test())).toList());
            }
            run.writePlot(metric + "-by-layer", plot);
        }
        for (TrainedProbe p : probes) {
            LinePlot plot = new LinePlot("Loss, " + p.kind().configName() + " probe, layer " + p.layer(), "epoch", "cross-entropy");
            List<Integer> epochs = p.curve().stream().map(EpochLoss::epoch).toList();
            plot.series("train", epochs, p.curve().stream().map(EpochLoss::trainLoss).toList());
            plot.series("validation", epochs, p.curve().stream().map(EpochLoss::validationLoss).toList());
            run.writePlot(String.format("loss-%s-layer-%02d", p.kind().configName(), p.layer()), plot);
        }
    }
}
