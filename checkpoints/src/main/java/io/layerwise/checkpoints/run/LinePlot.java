package io.layerwise.checkpoints.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import io.layerwise.models.files.AtomicFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A metric plotted against a study's x axis (layer index, pruning level, alpha...), one line per
 * series, saved as a PNG with XChart (headless; no display needed).
 *
 * <pre>{@code
 * new LinePlot("Accuracy vs removed layer", "layer", "accuracy").series("accuracy", xs, ys).savePng(path);
 * }</pre>
 */
public final class LinePlot {
    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final Map<String, double[][]> series = new LinkedHashMap<>();

    public LinePlot(String title, String xLabel, String yLabel) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
    }

    public LinePlot series(String name, List<? extends Number> xs, List<? extends Number> ys) {
        if (xs.size() != ys.size() || xs.isEmpty()) {
            throw new IllegalArgumentException("series '" + name + "' needs equally many x and y values, at least one");
        }
        series.put(name, new double[][] {xs.stream().mapToDouble(Number::doubleValue).toArray(),
            ys.stream().mapToDouble(Number::doubleValue).toArray()});
        return this;
    }

    /** Writes the chart; the file appears complete or not at all. */
    public void savePng(Path file) {
        XYChart chart = new XYChartBuilder().width(800).height(480).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel)
                .build();
        chart.getStyler().setLegendVisible(series.size() > 1);
        series.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1]).setMarker(SeriesMarkers.CIRCLE));
        Path absolute = file.toAbsolutePath();
        // BitmapEncoder appends ".png"; write under a temporary base name, then commit atomically
        Path temp = AtomicFiles.temporaryFor(absolute);
        try {
            Files.createDirectories(absolute.getParent());
            BitmapEncoder.saveBitmap(chart, temp.toString(), BitmapEncoder.BitmapFormat.PNG);
            AtomicFiles.commit(Path.of(temp + ".png"), absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file + ": " + e.getMessage(), e);
        }
    }
}
