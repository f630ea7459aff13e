package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads a generic labelled text file (CSV, TSV or JSONL) into {@link Example}s as a
 * {@link LabelledTextSpec} describes: harmful / benign / general prompt sets, WildJailbreak's TSV,
 * refusal data. Rows with a missing field or a label that is neither an integer, a boolean nor a
 * label-map key are bad rows, handled by the {@link BadRowPolicy}.
 *
 * <pre>{@code
 * LoadedDataset<Example> prompts = new LabelledTextReader(
 *         Path.of("prompts-dev.tsv"), LabelledTextSpec.wildJailbreak(), BadRowPolicy.FAIL).read();
 * }</pre>
 */
public final class LabelledTextReader implements DatasetReader<Example> {
    private final Path file;
    private final LabelledTextSpec spec;
    private final BadRowPolicy policy;

    public LabelledTextReader(Path file, LabelledTextSpec spec, BadRowPolicy policy) {
        this.file = Objects.requireNonNull(file, "file");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public LoadedDataset<Example> read() {
        ReadTally tally = new ReadTally(policy);
        List<Example> examples;
        try (RowSource rows = RowSource.open(spec.format(), file, tally)) {
            rows.requireFields(spec.fieldsRead(), "Check the field names given to the LabelledTextSpec.");
            examples = rows.collect(row -> toExample(row, tally));
        }
        return new LoadedDataset<>(examples, tally.report(examples.size()), fingerprint());
    }

    @Override
    public List<Path> inputFiles() {
        return List.of(file);
    }

    @Override
    public SortedMap<String, String> settings() {
        return spec.settings();
    }

    private Optional<Example> toExample(SourceRow row, ReadTally tally) {
        String text = null;
        for (String field : spec.textFields()) {
            String value = row.get(field);
            if (value != null && (text == null || text.isBlank())) {
                text = value;
            }
        }
        if (text == null) {
            tally.reject(row.missing(String.join(" or ", spec.textFields())));
            return Optional.empty();
        }
        String id = spec.idField() == null ? row.generatedId() : row.get(spec.idField());
        if (id == null) {
            tally.reject(row.missing(spec.idField()));
            return Optional.empty();
        }
        int label = Example.UNLABELLED;
        if (spec.labelField() != null) {
            String raw = row.get(spec.labelField());
            if (raw == null) {
                tally.reject(row.missing(spec.labelField()));
                return Optional.empty();
            }
            OptionalInt parsed = parseLabel(raw);
            if (parsed.isEmpty()) {
                tally.reject(row.problem(spec.labelField(), "'" + raw + "' is not an integer >= -1 or true/false"
                        + (spec.labelMap().isEmpty() ? "; give a label map for string labels"
                                : " or a label-map key " + new TreeMap<>(spec.labelMap()).keySet() + "; add it to the label map")));
                return Optional.empty();
            }
            label = parsed.getAsInt();
        }
        return Optional.of(new Example(id, tally.checkText(text), label, Map.of(), row.line()));
    }

    private OptionalInt parseLabel(String raw) {
        Integer mapped = spec.labelMap().get(raw);
        if (mapped != null) {
            return OptionalInt.of(mapped);
        }
        String value = raw.strip();
        if (value.equalsIgnoreCase("true")) {
            return OptionalInt.of(1);
        }
        if (value.equalsIgnoreCase("false")) {
            return OptionalInt.of(0);
        }
        try {
            int label = Integer.parseInt(value);
            return label >= Example.UNLABELLED ? OptionalInt.of(label) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }
}
