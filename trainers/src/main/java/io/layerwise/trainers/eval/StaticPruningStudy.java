package io.layerwise.trainers.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.checkpoints.run.LinePlot;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.checkpoints.run.Table;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.models.ModelException;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.MagnitudePruning;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Static pruning studies on one loaded model (the seed's Tables 1-4): the dense model (row
 * {@code Zeroshot}), then each block removed in turn, or each percentage of magnitude pruning, every
 * row evaluated with the same task. Rows are evaluated into {@code rows/<name>/} so an interrupted
 * study resumes item by item; the table ({@code tables/<study>.csv|md}), one plot per metric and
 * {@code report.html} are written at the end. Pruning is never done by reloading: layer removal is an
 * intervention, magnitude pruning a derived model holding only the pruned matrices.
 */
public final class StaticPruningStudy {

    private StaticPruningStudy() {}

    public static Table run(PruneConfig config, FrozenTransformer model, PrintStream log) {
        RunDirectory run = RunDirectory.create(Path.of(config.output()));
        run.writeText(EvalRun.RESOLVED_CONFIG, ConfigLoader.toYaml(config));
        EvalConfig evaluation = config.evaluation();
        List<String> metricNames = new ArrayList<>();
        List<List<Object>> rows = new ArrayList<>();
        List<Double> xs = new ArrayList<>();
        java.util.Optional<EvalConfig> safety = config.safetyEvaluation();
        ObjectNode dense = evaluate(evaluation, safety, model, Interventions.none(), run, "zeroshot", log);
        metricNames.addAll(metricColumns(dense));
        boolean removal = config.study() == PruneConfig.Study.LAYER_REMOVAL;
        rows.add(row(removal ? List.of("Zeroshot") : List.of("Zeroshot", 0.0), dense, metricNames));
        if (removal) {
            for (int layer : layers(config, model)) {
                ObjectNode m = evaluate(evaluation, safety, model, Interventions.none().withDroppedLayers(Set.of(layer)),
                        run, "layer-" + layer, log);
                rows.add(row(List.of(layer), m, metricNames));
                xs.add((double) layer);
            }
        } else {
            for (double percent : config.percentages()) {
                try (MagnitudePruning.Pruned pruned = MagnitudePruning.prune(model, percent / 100, config.scope().scope())) {
                    ObjectNode m = evaluate(evaluation, safety, pruned.model(), Interventions.none(), run,
                            "magnitude-" + percent, log);
                    rows.add(row(List.of(percent, pruned.sparsity()), m, metricNames));
                    xs.add(percent);
                }
            }
        }
        List<String> columns = new ArrayList<>(removal ? List.of("Layer") : List.of("Sparsity %", "Achieved sparsity"));
        metricNames.forEach(name -> columns.add(title(name)));
        Table table = new Table(columns, rows);
        String name = config.study().configName();
        run.writeTable(name, table);
        int firstMetric = removal ? 1 : 2;
        for (int m = 0; m < metricNames.size(); m++) {
            List<Double> ys = new ArrayList<>();
            for (List<Object> row : rows.subList(1, rows.size())) {
                ys.add(((Number) row.get(firstMetric + m)).doubleValue());
            }
            double denseValue = ((Number) rows.get(0).get(firstMetric + m)).doubleValue();
            run.writePlot(name + "-" + metricNames.get(m).replace('.', '-'), new LinePlot(
                    title(metricNames.get(m)) + (removal ? " vs removed layer" : " vs magnitude pruning"),
                    removal ? "removed layer" : "% of weights pruned", title(metricNames.get(m)))
                    .series("pruned", xs, ys)
                    .series("Zeroshot (dense)", xs, xs.stream().map(x -> denseValue).toList()));
        }
        log.println("report: " + run.writeReport(name.replace('_', ' ') + " study, " + config.task().configName()
                + " on " + model.id()));
        return table;
    }

    private static List<Integer> layers(PruneConfig config, FrozenTransformer model) {
        int blocks = model.spec().numLayers();
        List<Integer> layers = config.layers() == null ? IntStream.range(0, blocks).boxed().toList() : config.layers();
        for (int layer : layers) {
            if (layer >= blocks) {
                throw new ModelException("layers: " + layer + " is not a block of " + model.id() + " (0.." + (blocks - 1) + ")");
            }
        }
        return layers;
    }

    /** A row's metrics; with a safety evaluation its refusal metrics join them under {@code safety_*}. */
    private static ObjectNode evaluate(EvalConfig evaluation, java.util.Optional<EvalConfig> safety,
            FrozenTransformer model, Interventions interventions, RunDirectory study, String rowName, PrintStream log) {
        log.println("row " + rowName + ":");
        ObjectNode metrics = evaluateInto(evaluation, model, interventions, study.resolve("rows/" + rowName), rowName, log);
        if (safety.isPresent()) {
            ObjectNode refusal = evaluateInto(safety.get(), model, interventions, study.resolve("rows/" + rowName + "/safety"),
                    rowName + " safety", log);
            refusal.fields().forEachRemaining(e -> {
                if (!e.getKey().equals("items")) {
                    metrics.set("safety_" + e.getKey(), e.getValue());
                }
            });
        }
        return metrics;
    }

    private static ObjectNode evaluateInto(EvalConfig evaluation, FrozenTransformer model, Interventions interventions,
            Path directory, String rowName, PrintStream log) {
        EvalTask task = EvalTasks.create(evaluation, model, interventions);
        return EvalRun.run(task, evaluation.batchSize(), RunDirectory.create(directory),
                ConfigLoader.toYaml(evaluation) + "row: " + rowName + "\n", rowName, log);
    }

    /** The numeric metrics of a task, in the order it reports them (counts excluded). */
    private static List<String> metricColumns(ObjectNode metrics) {
        List<String> names = new ArrayList<>();
        metrics.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber() && !e.getKey().equals("items") && !e.getKey().equals("windows")
                    && !e.getKey().equals("predicted_tokens")) {
                names.add(e.getKey());
            } else if (e.getValue().isObject()) {
                e.getValue().fields().forEachRemaining(g -> names.add(e.getKey() + "." + g.getKey()));
            }
        });
        return names;
    }

    private static List<Object> row(List<Object> keys, ObjectNode metrics, List<String> names) {
        List<Object> row = new ArrayList<>(keys);
        for (String name : names) {
            JsonNode value = name.contains(".") ? metrics.path(name.substring(0, name.indexOf('.')))
                    .path(name.substring(name.indexOf('.') + 1)) : metrics.path(name);
            row.add(value.asDouble());
        }
        return row;
    }

    private static String title(String metric) {
        String base = metric.replace("refusal_rate_by_group.", "refusal ").replace('_', ' ').replace('.', ' ');
        return Character.toUpperCase(base.charAt(0)) + base.substring(1);
    }
}
