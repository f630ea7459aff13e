package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads the Jigsaw Toxic Comment Classification files into {@link Example}s: {@code train.csv}
 * ({@code id, comment_text} and six 0/1 labels), or {@code test.csv} joined on {@code id} with
 * {@code test_labels.csv}. The binary label is 1 when any of the six is 1; the six stay in
 * {@link Example#rawLabels()}. Test rows whose labels are all {@code -1} were never scored by Jigsaw:
 * they are unlabelled and left out, counted as {@link ReadReport#rowsExcluded()}.
 *
 * <pre>{@code
 * LoadedDataset<Example> train = JigsawReader.train(dir.resolve("train.csv"), BadRowPolicy.FAIL).read();
 * LoadedDataset<Example> test = JigsawReader.test(
 *         dir.resolve("test.csv"), dir.resolve("test_labels.csv"), BadRowPolicy.FAIL).read();
 * }</pre>
 */
public final class JigsawReader implements DatasetReader<Example> {

    /** The six label columns, in file order. */
    public static final List<String> LABELS =
            List.of("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate");

    private static final String ID = "id";
    private static final String TEXT = "comment_text";
    private static final int UNSCORED = -1;

    /** A row of test_labels.csv, kept until its test row claims it. */
    private record LabelRow(SourceRow row, Map<String, Integer> labels) {}

    private final Path comments;
    private final Path testLabels;
    private final BadRowPolicy policy;

    private JigsawReader(Path comments, Path testLabels, BadRowPolicy policy) {
        this.comments = Objects.requireNonNull(comments, "comments");
        this.testLabels = testLabels;
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** A reader of {@code train.csv}. */
    public static JigsawReader train(Path trainCsv, BadRowPolicy policy) {
        return new JigsawReader(trainCsv, null, policy);
    }

    /** A reader of {@code test.csv} joined with {@code test_labels.csv} on {@code id}. */
    public static JigsawReader test(Path testCsv, Path testLabelsCsv, BadRowPolicy policy) {
        return new JigsawReader(testCsv, Objects.requireNonNull(testLabelsCsv, "testLabelsCsv"), policy);
    }

    @Override
    public LoadedDataset<Example> read() {
        ReadTally tally = new ReadTally(policy);
        List<Example> examples = testLabels == null ? readTrain(tally) : readTest(tally);
        return new LoadedDataset<>(examples, tally.report(examples.size()), fingerprint());
    }

    @Override
    public List<Path> inputFiles() {
        return testLabels == null ? List.of(comments) : List.of(comments, testLabels);
    }

    @Override
    public SortedMap<String, String> settings() {
        return new TreeMap<>(Map.of("reader", testLabels == null ? "jigsaw-train" : "jigsaw-test"));
    }

    private List<Example> readTrain(ReadTally tally) {
        try (RowSource rows = new CsvRowSource(comments, ',', null, tally)) {
            List<String> required = withLabels(ID, TEXT);
            rows.requireFields(required, "Expected Jigsaw's train.csv, whose header is " + String.join(",", required) + ".");
            return rows.collect(row -> parseLabels(row, false, tally).map(labels -> example(row, labels, tally)));
        }
    }

    private List<Example> readTest(ReadTally tally) {
        Map<String, LabelRow> labelsById = readTestLabels(tally);
        List<Example> examples;
        try (RowSource rows = new CsvRowSource(comments, ',', null, tally)) {
            rows.requireFields(List.of(ID, TEXT), "Expected Jigsaw's test.csv, whose header is id,comment_text.");
            examples = rows.collect(row -> {
                LabelRow labelled = labelsById.remove(row.get(ID));
                if (labelled == null) {
                    tally.reject(row.problem(ID, "'" + row.get(ID) + "' has no usable row in " + testLabels
                            + "; use the test_labels.csv that belongs to this test.csv"));
                    return Optional.empty();
                }
                if (labelled.labels().containsValue(UNSCORED)) {
                    tally.exclude();
                    return Optional.empty();
                }
                return Optional.of(example(row, labelled.labels(), tally));
            });
        }
        // Labels nobody claimed mean the two files do not belong together.
        for (LabelRow unclaimed : labelsById.values()) {
            tally.reject(unclaimed.row().problem(ID, "'" + unclaimed.row().get(ID) + "' has labels but no row in "
                    + comments + "; use the test.csv that belongs to this test_labels.csv"));
        }
        return examples;
    }

    private Map<String, LabelRow> readTestLabels(ReadTally tally) {
        Map<String, LabelRow> byId = new LinkedHashMap<>();
        try (RowSource rows = new CsvRowSource(testLabels, ',', null, tally)) {
            List<String> required = withLabels(ID);
            rows.requireFields(required, "Expected Jigsaw's test_labels.csv, whose header is " + String.join(",", required) + ".");
            rows.collect(row -> parseLabels(row, true, tally).map(labels -> new LabelRow(row, labels)))
                    .forEach(labelled -> {
                        String id = labelled.row().get(ID);
                        LabelRow earlier = byId.putIfAbsent(id, labelled);
                        if (earlier != null) {
                            tally.reject(labelled.row().problem(ID, "'" + id + "' already has labels on line "
                                    + earlier.row().line() + "; keep one row per id"));
                        }
                    });
        }
        return byId;
    }

    /**
     * The six labels of a row, in column order, or empty after rejecting the row. Only test_labels.csv
     * may hold {@code -1}, and then in all six columns: that is how Jigsaw marks an unscored row.
     */
    private static Optional<Map<String, Integer>> parseLabels(SourceRow row, boolean allowUnscored, ReadTally tally) {
        Map<String, Integer> labels = new LinkedHashMap<>();
        for (String name : LABELS) {
            String raw = row.get(name).strip();
            if (raw.equals("0") || raw.equals("1") || (allowUnscored && raw.equals("-1"))) {
                labels.put(name, Integer.parseInt(raw));
            } else {
                tally.reject(row.problem(name, "'" + raw + "' is not " + (allowUnscored ? "-1, 0 or 1" : "0 or 1")));
                return Optional.empty();
            }
        }
        if (labels.containsValue(UNSCORED) && labels.values().stream().anyMatch(v -> v != UNSCORED)) {
            tally.reject(row.problem(null, "mixes -1 with 0/1 labels; an unscored row has -1 in all six columns"));
            return Optional.empty();
        }
        return Optional.of(labels);
    }

    private static List<String> withLabels(String... leading) {
        List<String> columns = new ArrayList<>(List.of(leading));
        columns.addAll(LABELS);
        return columns;
    }

    private static Example example(SourceRow row, Map<String, Integer> labels, ReadTally tally) {
        int label = labels.containsValue(1) ? 1 : 0;
        return new Example(row.get(ID), tally.checkText(row.get(TEXT)), label, labels, row.line());
    }
}
