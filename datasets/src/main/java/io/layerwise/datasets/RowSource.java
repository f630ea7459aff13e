package io.layerwise.datasets;

import java.io.Closeable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Well-formed rows of one file in file order. Malformed rows (broken quoting, wrong field count, bad
 * JSON, invalid UTF-8) never come out of {@link #next()}: they go to the read's {@link ReadTally}, which
 * fails or skips them by policy, so every reader handles bad input the same way.
 */
interface RowSource extends Closeable {

    /** The next well-formed row, or empty at the end of the file. */
    Optional<SourceRow> next();

    /**
     * Fails, whatever the policy, when the file's header lacks one of the fields: then no row can be
     * read. Formats without a header check fields row by row instead.
     *
     * @param hint what to check, appended to the message
     */
    void requireFields(List<String> fields, String hint);

    /** The column names of a format with a header line (CSV, TSV); empty for JSONL, whose fields vary by row. */
    default Optional<List<String>> header() {
        return Optional.empty();
    }

    @Override
    void close();

    /** Converts every remaining row; a conversion returns empty for a row it has rejected. */
    default <T> List<T> collect(Function<SourceRow, Optional<T>> convert) {
        List<T> items = new ArrayList<>();
        for (Optional<SourceRow> row = next(); row.isPresent(); row = next()) {
            convert.apply(row.get()).ifPresent(items::add);
        }
        return items;
    }

    static RowSource open(TextFileFormat format, Path file, ReadTally tally) {
        return switch (format) {
            case CSV -> new CsvRowSource(file, ',', null, tally);
            case TSV -> new CsvRowSource(file, '\t', null, tally);
            case JSONL -> new JsonLinesRowSource(file, tally);
        };
    }
}
