package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Why one row could not be read: the file, the physical line the row starts on (or the line holding
 * invalid bytes), the field at fault when there is one, and the problem in words. It is both the message
 * of a {@link DatasetException} under {@link BadRowPolicy#FAIL} and an entry of
 * {@link ReadReport#firstSkipped()} under {@link BadRowPolicy#SKIP}.
 *
 * @param file the file holding the row
 * @param line 1-based physical line number (in a Parquet file, the 1-based row number)
 * @param field the column or JSON field at fault, or {@code null} when the row as a whole is at fault
 * @param problem what is wrong, and where specific, how to fix it
 */
public record BadRow(Path file, long line, String field, String problem) {

    public BadRow {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(problem, "problem");
    }

    /** {@code file:line: field 'x': problem}, the form compilers use, so editors can jump to it. */
    @Override
    public String toString() {
        return file + ":" + line + ": " + (field == null ? "" : "field '" + field + "': ") + problem;
    }
}
