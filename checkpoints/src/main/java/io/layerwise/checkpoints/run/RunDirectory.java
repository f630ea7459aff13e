package io.layerwise.checkpoints.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.layerwise.models.files.AtomicFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The output folder of one run: the resolved config, metrics, tables (CSV and Markdown), PNG plots
 * and an HTML report that shows them. Every file is written atomically, so an interrupted run never
 * leaves a torn file and a rerun into the same folder replaces files whole.
 *
 * <pre>{@code
 * RunDirectory run = RunDirectory.create(Path.of("runs/eval-mmlu"));
 * run.writeText("config.resolved.yaml", yaml);
 * run.writeJson("metrics.json", metrics);
 * run.writeReport("MMLU on tiny-qwen3-chat");
 * }</pre>
 */
public final class RunDirectory {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final List<String> plots = new ArrayList<>();

    private RunDirectory(Path root) {
        this.root = root;
    }

    /** Opens (creating it if needed) the run folder. */
    public static RunDirectory create(Path root) {
        try {
            Files.createDirectories(root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create run directory " + root + ": " + e.getMessage(), e);
        }
        return new RunDirectory(root);
    }

    public Path root() {
        return root;
    }

    public Path resolve(String relative) {
        return root.resolve(relative);
    }

    public void writeText(String relative, String text) {
        AtomicFiles.writeString(root.resolve(relative), text);
    }

    public void writeJson(String relative, JsonNode json) {
        try {
            writeText(relative, JSON.writeValueAsString(json) + "\n");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code tables/<name>.csv} and {@code tables/<name>.md}. */
    public void writeTable(String name, Table table) {
        writeText("tables/" + name + ".csv", table.toCsv());
        writeText("tables/" + name + ".md", table.toMarkdown());
        tables.put(name, table);
    }

    /** Writes {@code plots/<name>.png}. */
    public void writePlot(String name, LinePlot plot) {
        plot.savePng(root.resolve("plots/" + name + ".png"));
        if (!plots.contains(name)) {
            plots.add(name);
        }
    }

    /**
     * Writes {@code report.html}: the title, metrics.json if present, every table written in this run
     * and every plot, all linked by relative paths so the folder can be moved or archived whole.
     */
    public Path writeReport(String title) {
        StringBuilder html = new StringBuilder("<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
                + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:right}"
                + "pre{background:#f6f6f6;padding:1em}img{max-width:100%}</style></head><body>\n<h1>")
                .append(escape(title)).append("</h1>\n");
        Path metrics = root.resolve("metrics.json");
        if (Files.isRegularFile(metrics)) {
            html.append("<h2>Metrics</h2>\n<pre>").append(escape(read(metrics))).append("</pre>\n");
        }
        tables.forEach((name, table) -> html.append("<h2>").append(escape(name)).append("</h2>\n")
                .append(htmlTable(table))
                .append("<p><a href=\"tables/").append(name).append(".csv\">CSV</a> · <a href=\"tables/")
                .append(name).append(".md\">Markdown</a></p>\n"));
        for (String plot : plots) {
            html.append("<h2>").append(escape(plot)).append("</h2>\n<img src=\"plots/").append(plot)
                    .append(".png\" alt=\"").append(escape(plot)).append("\">\n");
        }
        if (Files.isRegularFile(root.resolve("config.resolved.yaml"))) {
            html.append("<h2>Config</h2>\n<pre>").append(escape(read(root.resolve("config.resolved.yaml")))).append("</pre>\n");
        }
        html.append("</body></html>\n");
        writeText("report.html", html.toString());
        return root.resolve("report.html");
    }

    private static String htmlTable(Table table) {
        StringBuilder html = new StringBuilder("<table>\n<tr>");
        table.columns().forEach(c -> html.append("<th>").append(escape(c)).append("</th>"));
        html.append("</tr>\n");
        for (List<Object> row : table.rows()) {
            html.append("<tr>");
            row.forEach(cell -> html.append("<td>").append(escape(Table.format(cell))).append("</td>"));
            html.append("</tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
