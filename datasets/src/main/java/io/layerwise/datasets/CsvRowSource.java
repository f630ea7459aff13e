package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An RFC 4180 reader over {@link PhysicalLineReader} lines, so that each row knows the physical line it
 * starts on even when quoted fields span many lines (Jigsaw comments do).
 *
 * <p>Rules: a field that starts with {@code "} is quoted, may contain the delimiter and line breaks, and
 * writes a quote as {@code ""}; after its closing quote only the delimiter or the end of the line may
 * follow. A quote inside an unquoted field is kept as an ordinary character, as Python's {@code csv}
 * module does. Line breaks inside quoted fields become {@code \n} whatever the file uses, so a CRLF copy
 * and an LF copy of a file read as the same texts. Blank lines between rows are ignored.
 */
final class CsvRowSource implements RowSource {

    private enum State { FIELD_START, UNQUOTED, QUOTED, QUOTE_IN_QUOTED }

    /** A parsed row, or why it could not be parsed. */
    private record Parsed(long line, List<String> fields, BadRow problem) {}

    private final Path file;
    private final char delimiter;
    private final ReadTally tally;
    private final PhysicalLineReader lines;
    private final List<String> columns;
    private final long headerLine;

    /**
     * @param columns the column names for a file without a header line, or {@code null} to read them from
     *     the first row
     */
    CsvRowSource(Path file, char delimiter, List<String> columns, ReadTally tally) {
        this.file = file;
        this.delimiter = delimiter;
        this.tally = tally;
        this.lines = new PhysicalLineReader(file);
        try {
            Parsed header = columns != null ? new Parsed(0, columns, null) : readHeader();
            this.columns = List.copyOf(header.fields());
            this.headerLine = header.line();
        } catch (RuntimeException e) {
            lines.close();
            throw e;
        }
    }

    @Override
    public Optional<SourceRow> next() {
        for (PhysicalLineReader.Line first = nextNonBlank(); first != null; first = nextNonBlank()) {
            Parsed parsed = parse(first);
            if (parsed.problem() != null) {
                tally.reject(parsed.problem());
            } else if (parsed.fields().size() != columns.size()) {
                tally.reject(new BadRow(file, parsed.line(), null, "expected " + columns.size() + " fields ("
                        + String.join(", ", columns) + "), found " + parsed.fields().size()
                        + "; quote fields that contain the delimiter"));
            } else {
                Map<String, String> fields = new LinkedHashMap<>();
                for (int i = 0; i < columns.size(); i++) {
                    fields.put(columns.get(i), parsed.fields().get(i));
                }
                return Optional.of(new SourceRow(file, parsed.line(), fields));
            }
        }
        return Optional.empty();
    }

    @Override
    public void requireFields(List<String> fields, String hint) {
        for (String field : fields) {
            if (!columns.contains(field)) {
                throw new DatasetException(file + ":" + headerLine + ": the header has no column '" + field + "' (it has "
                        + String.join(", ", columns) + "). " + hint);
            }
        }
    }

    @Override
    public Optional<List<String>> header() {
        return Optional.of(columns);
    }

    @Override
    public void close() {
        lines.close();
    }

    // A header problem is fatal whatever the policy: without column names no row can be read.
    private Parsed readHeader() {
        PhysicalLineReader.Line first = nextNonBlank();
        if (first == null) {
            throw new DatasetException(file + ": the file is empty; expected a header line naming the columns.");
        }
        Parsed header = parse(first);
        if (header.problem() != null) {
            throw new DatasetException(header.problem() + ". The header line must be a well-formed row.");
        }
        Set<String> seen = new HashSet<>();
        for (String name : header.fields()) {
            if (!seen.add(name)) {
                throw new DatasetException(file + ":" + header.line() + ": the header names column '" + name
                        + "' twice; give every column a distinct name.");
            }
        }
        return header;
    }

    private PhysicalLineReader.Line nextNonBlank() {
        PhysicalLineReader.Line line = lines.next();
        while (line != null && line.text().isEmpty()) {
            line = lines.next();
        }
        return line;
    }

    private Parsed parse(PhysicalLineReader.Line first) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        State state = State.FIELD_START;
        PhysicalLineReader.Line current = first;
        PhysicalLineReader.Line invalid = first.validUtf8() ? null : first;
        String text = first.text();
        int i = 0;
        while (true) {
            if (i == text.length()) {
                if (state != State.QUOTED) {
                    fields.add(field.toString());
                    break;
                }
                current = lines.next();
                if (current == null) {
                    return bad(first, "field " + (fields.size() + 1) + " opens a quote that is never closed"
                            + " (unterminated quote); close it, and write quotes inside it as \"\"");
                }
                if (!current.validUtf8() && invalid == null) {
                    invalid = current;
                }
                field.append('\n');
                text = current.text();
                i = 0;
                continue;
            }
            char c = text.charAt(i++);
            switch (state) {
                case FIELD_START -> {
                    if (c == '"') {
                        state = State.QUOTED;
                    } else if (c == delimiter) {
                        fields.add("");
                    } else {
                        field.append(c);
                        state = State.UNQUOTED;
                    }
                }
                case UNQUOTED -> {
                    if (c == delimiter) {
                        fields.add(field.toString());
                        field.setLength(0);
                        state = State.FIELD_START;
                    } else {
                        field.append(c);
                    }
                }
                case QUOTED -> {
                    if (c == '"') {
                        state = State.QUOTE_IN_QUOTED;
                    } else {
                        field.append(c);
                    }
                }
                case QUOTE_IN_QUOTED -> {
                    if (c == '"') {
                        field.append('"');
                        state = State.QUOTED;
                    } else if (c == delimiter) {
                        fields.add(field.toString());
                        field.setLength(0);
                        state = State.FIELD_START;
                    } else {
                        return bad(first, "field " + (fields.size() + 1) + " has '" + c + "' after its closing quote"
                                + onLine(current, first) + "; write quotes inside a quoted field as \"\"");
                    }
                }
            }
        }
        if (invalid != null) {
            return bad(first, "bytes that are not valid UTF-8" + onLine(invalid, first) + "; re-encode the file as UTF-8");
        }
        return new Parsed(first.number(), fields, null);
    }

    private Parsed bad(PhysicalLineReader.Line first, String problem) {
        return new Parsed(first.number(), List.of(), new BadRow(file, first.number(), null, problem));
    }

    private static String onLine(PhysicalLineReader.Line current, PhysicalLineReader.Line first) {
        return current.number() == first.number() ? "" : " on line " + current.number();
    }
}
