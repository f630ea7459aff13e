package io.layerwise.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads MMLU into {@link MultipleChoiceItem}s from either of its published layouts, chosen per file by the
 * extension. The original CSV layout ({@code .csv}): no header, six columns
 * {@code question, A, B, C, D, answer} with the answer as a letter, one file per subject and split
 * ({@code abstract_algebra_test.csv}); the subject comes from the file name, and files named otherwise get
 * an empty subject. Hugging Face's Parquet layout ({@code .parquet}, {@code cais/mmlu}'s
 * {@code all/test-00000-of-00001.parquet} or {@code anatomy/dev-00000-of-00001.parquet}): the columns
 * {@code question}, {@code subject}, {@code choices} (four strings) and {@code answer} (index 0-3), the
 * subject taken from its column. Files are read in the order given, and {@link #directory} orders the CSV
 * files of a split directory by name.
 *
 * <p>Item ids are {@code <file name>:<line>} for CSV and {@code <directory>/<file name>:<row>} for Parquet,
 * whose file names repeat in every subject's directory.
 *
 * <pre>{@code
 * LoadedDataset<MultipleChoiceItem> mmlu = MmluReader.directory(Path.of("data/test"), BadRowPolicy.FAIL).read();
 * LoadedDataset<MultipleChoiceItem> hf = new MmluReader(
 *         List.of(Path.of("mmlu/all/test-00000-of-00001.parquet")), BadRowPolicy.FAIL).read();
 * }</pre>
 */
public final class MmluReader implements DatasetReader<MultipleChoiceItem> {

    private static final List<String> COLUMNS = List.of("question", "A", "B", "C", "D", "answer");
    private static final List<String> LETTERS = COLUMNS.subList(1, 5);
    private static final Pattern SUBJECT_FILE = Pattern.compile("(.+)_(dev|val|test)\\.csv");
    private static final String PARQUET = ".parquet";

    private final List<Path> files;
    private final BadRowPolicy policy;

    public MmluReader(List<Path> files, BadRowPolicy policy) {
        this.files = List.copyOf(files);
        this.policy = Objects.requireNonNull(policy, "policy");
        if (this.files.isEmpty()) {
            throw new IllegalArgumentException("at least one MMLU file is needed");
        }
    }

    /**
     * A reader of every {@code *.csv} file in a directory (MMLU's {@code data/dev}, {@code data/val} or
     * {@code data/test}), in file-name order so the item order never depends on the file system.
     */
    public static MmluReader directory(Path dir, BadRowPolicy policy) {
        List<Path> files;
        try (Stream<Path> listing = Files.list(dir)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".csv")).sorted().toList();
        } catch (IOException e) {
            throw DatasetException.cannotRead(dir, e);
        }
        if (files.isEmpty()) {
            throw new DatasetException(dir + " holds no .csv files; point it at an MMLU split directory such as data/test,"
                    + " or, for Hugging Face's Parquet layout, at one split's file such as all/test-00000-of-00001.parquet.");
        }
        return new MmluReader(files, policy);
    }

    /** The subject named by an MMLU file name ({@code high_school_physics_val.csv}), or {@code ""}. */
    public static String subjectOf(Path file) {
        Matcher m = SUBJECT_FILE.matcher(String.valueOf(file.getFileName()));
        return m.matches() ? m.group(1) : "";
    }

    @Override
    public LoadedDataset<MultipleChoiceItem> read() {
        ReadTally tally = new ReadTally(policy);
        List<MultipleChoiceItem> items = new ArrayList<>();
        for (Path file : files) {
            String subject = subjectOf(file);
            String idPrefix = idPrefix(file);
            try (RowSource rows = isParquet(file) ? new MmluParquetRowSource(file, tally)
                    : new CsvRowSource(file, ',', COLUMNS, tally)) {
                items.addAll(rows.collect(row -> toItem(row, idPrefix, subject, tally)));
            }
        }
        return new LoadedDataset<>(items, tally.report(items.size()), fingerprint());
    }

    @Override
    public List<Path> inputFiles() {
        return files;
    }

    @Override
    public SortedMap<String, String> settings() {
        // Subjects come from the file names or the Parquet files' contents, which the fingerprint already covers.
        long parquet = files.stream().filter(MmluReader::isParquet).count();
        String reader = parquet == 0 ? "mmlu-csv" : parquet == files.size() ? "mmlu-parquet" : "mmlu-csv+parquet";
        return new TreeMap<>(Map.of("reader", reader));
    }

    /** {@code <file name>}, or for Parquet {@code <directory>/<file name>}: cais/mmlu repeats file names per subject. */
    private static String idPrefix(Path file) {
        Path dir = file.getParent() == null ? null : file.getParent().getFileName();
        return isParquet(file) && dir != null ? dir + "/" + file.getFileName() : String.valueOf(file.getFileName());
    }

    private static boolean isParquet(Path file) {
        return String.valueOf(file.getFileName()).toLowerCase(Locale.ROOT).endsWith(PARQUET);
    }

    /** An item of a CSV row, or of a Parquet row given as CSV fields plus its {@code subject}. */
    private static Optional<MultipleChoiceItem> toItem(SourceRow row, String idPrefix, String fileSubject, ReadTally tally) {
        String letter = row.get("answer").strip();
        int answer = LETTERS.indexOf(letter);
        if (answer < 0) {
            tally.reject(row.problem("answer", "'" + letter + "' is not one of A, B, C, D"));
            return Optional.empty();
        }
        List<String> choices = LETTERS.stream().map(row::get).toList();
        String subject = row.get("subject") != null ? row.get("subject") : fileSubject;
        return Optional.of(new MultipleChoiceItem(
                idPrefix + ":" + row.line(), tally.checkText(row.get("question")), choices, answer, subject));
    }
}
