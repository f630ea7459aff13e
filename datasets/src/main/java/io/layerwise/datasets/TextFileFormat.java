package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The text layouts the generic readers accept. {@link #CSV} and {@link #TSV} follow RFC 4180 with a
 * header line (fields may be quoted with {@code "}, span lines and double their quotes; TSV is the same
 * with a tab as the delimiter, as in WildJailbreak's files); {@link #JSONL} has one JSON object per line.
 * All are UTF-8, with or without a byte order mark, with LF or CRLF line ends; blank lines between
 * rows are ignored.
 */
public enum TextFileFormat {
    CSV,
    TSV,
    JSONL;

    /**
     * The format named by a file's extension: {@code .csv}, {@code .tsv}, {@code .jsonl}.
     *
     * @throws DatasetException for any other extension
     */
    public static TextFileFormat of(Path file) {
        String name = String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".tsv")) {
            return TSV;
        }
        if (name.endsWith(".jsonl")) {
            return JSONL;
        }
        throw new DatasetException("Cannot tell the format of " + file
                + " from its extension; name it .csv, .tsv or .jsonl, or give the format explicitly.");
    }
}
