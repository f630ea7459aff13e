package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;

/**
 * One well-formed row of a CSV, TSV or JSONL file, as field name to text, before a reader gives the
 * fields their meaning. JSON numbers and booleans arrive as their JSON text; JSON nulls are absent.
 *
 * @param file the file it came from
 * @param line physical line of the row's first line
 * @param fields field values by name, in file order
 */
record SourceRow(Path file, long line, Map<String, String> fields) {

    SourceRow {
        fields = Collections.unmodifiableMap(fields);
    }

    /** The value of a field, or {@code null} when the row has no such field. */
    String get(String field) {
        return fields.get(field);
    }

    /** The id of a row in a format without ids: {@code <file name>:<line>}, stable and easy to look up. */
    String generatedId() {
        return file.getFileName() + ":" + line;
    }

    /** A bad-row description pointing at this row and field. */
    BadRow problem(String field, String problem) {
        return new BadRow(file, line, field, problem);
    }

    BadRow missing(String field) {
        return problem(field, "missing; every row needs it");
    }
}
