package io.layerwise.checkpoints.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A results table (one row per layer, per pruning level, ...) rendered as CSV for tools and as a
 * Markdown table for people; numbers are written with four decimals in Markdown and in full in CSV.
 *
 * @param columns column names
 * @param rows cells, each row as long as {@code columns}
 */
public record Table(List<String> columns, List<List<Object>> rows) {

    public Table {
        columns = List.copyOf(columns);
        List<List<Object>> copied = new ArrayList<>();
        for (List<Object> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row " + row + " has " + row.size() + " cells for " + columns.size()
                        + " columns");
            }
            copied.add(new ArrayList<>(row));
        }
        rows = List.copyOf(copied);
    }

    public static Table withColumns(String... columns) {
        return new Table(List.of(columns), List.of());
    }

    /** A copy with one more row. */
    public Table withRow(Object... cells) {
        List<List<Object>> more = new ArrayList<>(rows);
        more.add(List.of(cells));
        return new Table(columns, more);
    }

    public String toCsv() {
        StringBuilder out = new StringBuilder(String.join(",", columns.stream().map(Table::csvCell).toList())).append('\n');
        for (List<Object> row : rows) {
            out.append(String.join(",", row.stream().map(c -> csvCell(String.valueOf(c))).toList())).append('\n');
        }
        return out.toString();
    }

    public String toMarkdown() {
        StringBuilder out = new StringBuilder("| ").append(String.join(" | ", columns)).append(" |\n|");
        columns.forEach(c -> out.append("---|"));
        out.append('\n');
        for (List<Object> row : rows) {
            out.append("| ").append(String.join(" | ", row.stream().map(Table::markdownCell).toList())).append(" |\n");
        }
        return out.toString();
    }

    private static String csvCell(String text) {
        return text.contains(",") || text.contains("\"") || text.contains("\n")
                ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static String markdownCell(Object cell) {
        return format(cell).replace("|", "\\|");
    }

    /** A cell as people read it: floating-point numbers with four decimals. */
    public static String format(Object cell) {
        return cell instanceof Double || cell instanceof Float
                ? String.format(Locale.ROOT, "%.4f", ((Number) cell).doubleValue()) : String.valueOf(cell);
    }
}
