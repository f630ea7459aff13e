package io.layerwise.trainers.sanitize;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.checkpoints.run.LinePlot;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.checkpoints.run.Table;
import io.layerwise.trainers.probes.BinaryMetrics;
import io.layerwise.trainers.sanitize.SanitizationStudy.Cell;
import java.util.List;

/**
 * The sweep's tables, plots and {@code metrics.json}: per direction method one table shaped like the
 * seed's Tables 7 and 8 ({@code n_layers, alpha, F1, accuracy, FPR, TPR}), one for the cached readout
 * projection, F1 against alpha per n, and metrics keyed {@code variant -> method -> n -> alpha}.
 */
final class SanitizationReport {
    private static final String CACHED = "cached readout projection (no forward pass)";

    private SanitizationReport() {}

    static void write(RunDirectory run, List<Cell> cells, SanitizeConfig config) {
        ObjectNode metrics = new ObjectMapper().createObjectNode();
        for (Cell c : cells) {
            BinaryMetrics m = c.metrics();
            ObjectNode at = metrics.withObjectProperty(c.variant()).withObjectProperty(c.method()).withObjectProperty("n_" + c.n()).putObject(String.valueOf(c.alpha()));
            at.put("f1", m.f1()).put("accuracy", m.accuracy()).put("fpr", m.fpr()).put("tpr", m.tpr())
                    .put("precision", m.precision()).put("auroc", m.auroc());
        }
        run.writeJson("metrics.json", metrics);
        for (DirectionMethod method : config.directions()) {
            List<Cell> forward = cells.stream().filter(c -> c.variant().equals("forward") && c.method().equals(method.configName())).toList();
            Table table = Table.withColumns("n_layers", "alpha", "layers", "f1", "accuracy", "fpr", "tpr");
            for (Cell c : forward) {
                table = table.withRow(c.n(), c.alpha(), c.layers().toString(), c.metrics().f1(), c.metrics().accuracy(),
                        c.metrics().fpr(), c.metrics().tpr());
            }
            run.writeTable("sanitize-" + method.configName(), table);
            LinePlot plot = new LinePlot("Readout F1 after ablating " + method.configName() + " directions", "alpha", "F1");
            forward.stream().map(Cell::n).distinct().forEach(n -> {
                List<Cell> line = forward.stream().filter(c -> c.n() == n).toList();
                plot.series("top " + n + " layers", line.stream().map(Cell::alpha).toList(),
                        line.stream().map(c -> c.metrics().f1()).toList());
            });
            List<Cell> cached = cells.stream().filter(c -> c.variant().equals("cached") && c.method().equals(method.configName())).toList();
            plot.series("cached readout projection", cached.stream().map(Cell::alpha).toList(),
                    cached.stream().map(c -> c.metrics().f1()).toList());
            run.writePlot("f1-vs-alpha-" + method.configName(), plot);
        }
        Table cached = Table.withColumns("variant", "direction", "alpha", "f1", "accuracy", "fpr", "tpr");
        for (Cell c : cells) {
            if (c.variant().equals("cached")) {
                cached = cached.withRow(CACHED, c.method(), c.alpha(), c.metrics().f1(), c.metrics().accuracy(),
                        c.metrics().fpr(), c.metrics().tpr());
            }
        }
        run.writeTable("sanitize-cached", cached);
    }
}
