package io.layerwise.trainers.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.checkpoints.run.LinePlot;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.checkpoints.run.Table;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The outputs of a sweep, made from the candidates' recorded results alone: {@code tables/sweep.csv}
 * (one row per planned candidate: its values, objective, status, time, every metric and its error;
 * {@code tables/sweep.md} and the report show the same rows without the metrics, which can number in
 * the hundreds), {@code best.yaml} (the best candidate's resolved config, ready to run with the base
 * command), {@code metrics.json} (counts and the best candidate), a plot of the objective against each
 * swept field, and {@code report.html} linking them.
 */
final class SweepReport {
    static final String BEST_CONFIG = "best.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SweepReport() {}

    static Path write(RunDirectory run, SweepConfig config, SweepPlan plan, List<CandidateResult> results,
            Optional<CandidateResult> best, SweepTarget target, List<String> shared) {
        Map<Integer, CandidateResult> byIndex = new TreeMap<>();
        results.forEach(r -> byIndex.put(r.index(), r));
        TreeSet<String> metricNames = new TreeSet<>();
        results.forEach(r -> metricNames.addAll(r.metrics().keySet()));

        run.writeTable("sweep", table(config, plan, byIndex, List.of()));
        run.writeText("tables/sweep.csv", table(config, plan, byIndex, List.copyOf(metricNames)).toCsv());

        ObjectNode summary = JSON.createObjectNode();
        summary.put("candidates", plan.size());
        summary.put("completed", results.stream().filter(CandidateResult::complete).count());
        summary.put("failed", results.stream().filter(r -> !r.complete()).count());
        summary.put("not_run", plan.size() - results.size());
        summary.put("objective", config.objective().metric() + " (" + config.objective().goal().configName() + ")");
        if (best.isPresent()) {
            CandidateResult b = best.get();
            ObjectNode node = summary.putObject("best");
            node.put("candidate", b.index());
            node.put("objective", b.objective());
            node.set("values", JSON.valueToTree(b.values()));
            node.put("config", BEST_CONFIG);
            List<String> overrides = new ArrayList<>(shared);
            overrides.addAll(plan.point(b.index()).overrides());
            overrides.add(SweepConfig.OUTPUT_KEY + "=" + run.resolve("best-run"));
            run.writeText(BEST_CONFIG, "# Best of " + plan.size() + " candidates of the sweep in " + run.root()
                    + ": candidate " + b.index() + ", " + config.objective().metric() + " = " + b.objective() + "\n"
                    + "# Run it with: layerwise " + config.command().configName() + " " + run.resolve(BEST_CONFIG) + "\n"
                    + target.resolve(Path.of(config.base()), overrides));
        }
        run.writeJson("metrics.json", summary);

        for (Map.Entry<String, FieldSpace> field : config.fields().entrySet()) {
            plot(run, config, plan, results, field.getKey(), field.getValue());
        }
        return run.writeReport("Sweep of " + config.base() + " (" + config.objective().metric() + ", "
                + config.objective().goal().configName() + ")");
    }

    private static Table table(SweepConfig config, SweepPlan plan, Map<Integer, CandidateResult> byIndex,
            List<String> metricNames) {
        List<String> columns = new ArrayList<>(List.of("candidate"));
        columns.addAll(config.fields().keySet());
        columns.addAll(List.of("objective", "status", "seconds"));
        columns.addAll(metricNames);
        columns.add("error");
        List<List<Object>> rows = new ArrayList<>();
        for (int k = 0; k < plan.size(); k++) {
            CandidateResult r = byIndex.get(k);
            List<Object> row = new ArrayList<>(List.of(k));
            row.addAll(plan.point(k).displayValues());
            row.add(r == null || r.objective() == null ? "" : r.objective());
            row.add(r == null ? "not_run" : r.status().configName());
            row.add(r == null ? "" : r.seconds());
            for (String metric : metricNames) {
                row.add(r == null || !r.metrics().containsKey(metric) ? "" : r.metrics().get(metric));
            }
            row.add(r == null || r.error() == null ? "" : r.error());
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    /**
     * The objective against one field: the best objective at each value of the field (over the other
     * fields' values) and, when other fields vary too, the mean. Log-uniform fields are plotted against
     * log10 of the value; lists of non-numbers against their position in the list.
     */
    private static void plot(RunDirectory run, SweepConfig config, SweepPlan plan, List<CandidateResult> results,
            String path, FieldSpace space) {
        TreeMap<Double, List<Double>> byX = new TreeMap<>();
        for (CandidateResult r : results) {
            if (r.complete()) {
                Object value = space.drawnValue(plan.point(r.index()).values().get(path));
                byX.computeIfAbsent(x(value, space), x -> new ArrayList<>()).add(r.objective());
            }
        }
        if (byX.isEmpty()) {
            return;
        }
        List<Double> xs = new ArrayList<>(byX.keySet());
        List<Double> bests = new ArrayList<>();
        List<Double> means = new ArrayList<>();
        for (List<Double> ys : byX.values()) {
            double best = ys.get(0);
            for (double y : ys) {
                best = config.objective().better(y, best) ? y : best;
            }
            bests.add(best);
            means.add(ys.stream().mapToDouble(Double::doubleValue).average().orElseThrow());
        }
        String xLabel = space.logarithmic() ? "log10(" + path + ")"
                : space.numeric() ? path : path + " (position in " + space.values() + ")";
        LinePlot plot = new LinePlot(config.objective().metric() + " vs " + path, xLabel, config.objective().metric())
                .series(config.fields().size() > 1 ? "best over the other fields" : "objective", xs, bests);
        if (config.fields().size() > 1) {
            plot.series("mean over the other fields", xs, means);
        }
        run.writePlot("objective-vs-" + path.replace('.', '-'), plot);
    }

    private static double x(Object value, FieldSpace space) {
        if (space.logarithmic()) {
            return Math.log10(((Number) value).doubleValue());
        }
        return space.numeric() ? ((Number) value).doubleValue() : space.values().indexOf(value);
    }
}
