package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads unlabelled texts to score with a trained probe, from a CSV / TSV file with a {@code text} column
 * (or Jigsaw's {@code comment_text}) or a JSONL file whose objects have a {@code text} field (or
 * {@code comment_text}). A row's id is its {@code id} field where the file has one, else
 * {@code <file name>:<line>}. A bad row (broken quoting, bad JSON, no text) stops the read with its file
 * and line named.
 *
 * <pre>{@code
 * List<Example> texts = new TextInputReader(Path.of("texts.csv")).read().items();
 * }</pre>
 */
public final class TextInputReader implements DatasetReader<Example> {
    /** Text fields tried in order. */
    static final List<String> TEXT_FIELDS = List.of("text", "comment_text");
    static final String ID_FIELD = "id";

    private final Path file;
    private final TextFileFormat format;

    /** A reader for {@code file}, whose format its extension gives ({@code .csv}, {@code .tsv}, {@code .jsonl}). */
    public TextInputReader(Path file) {
        this.file = Objects.requireNonNull(file, "file");
        this.format = TextFileFormat.of(file);
    }

    @Override
    public LoadedDataset<Example> read() {
        ReadTally tally = new ReadTally(BadRowPolicy.FAIL);
        List<Example> examples;
        try (RowSource rows = RowSource.open(format, file, tally)) {
            Optional<List<String>> header = rows.header();
            List<String> textFields = TEXT_FIELDS;
            if (header.isPresent()) {
                textFields = TEXT_FIELDS.stream().filter(header.get()::contains).limit(1).toList();
                if (textFields.isEmpty()) {
                    throw new DatasetException(file + ": the header has no column " + String.join(" or ", TEXT_FIELDS)
                            + " (it has " + String.join(", ", header.get()) + "); name the column of texts 'text'");
                }
            }
            List<String> fields = textFields;
            examples = rows.collect(row -> toExample(row, fields, tally));
        }
        return new LoadedDataset<>(examples, tally.report(examples.size()), fingerprint());
    }

    private static Optional<Example> toExample(SourceRow row, List<String> textFields, ReadTally tally) {
        String text = textFields.stream().map(row::get).filter(Objects::nonNull).findFirst().orElse(null);
        if (text == null) {
            tally.reject(row.missing(String.join(" or ", textFields)));
            return Optional.empty();
        }
        String id = row.get(ID_FIELD);
        return Optional.of(new Example(id == null ? row.generatedId() : id, tally.checkText(text), Example.UNLABELLED,
                Map.of(), row.line()));
    }

    @Override
    public List<Path> inputFiles() {
        return List.of(file);
    }

    @Override
    public SortedMap<String, String> settings() {
        SortedMap<String, String> settings = new TreeMap<>();
        settings.put("reader", "text-input");
        settings.put("format", format.name());
        return settings;
    }
}
