package io.layerwise.datasets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Reads GSM8K's JSONL layout into {@link MathProblem}s: one {@code {"question": ..., "answer": ...}}
 * object per line, the answer ending in a line {@code #### <n>}. The final answer is the text after the
 * last {@code ####}, normalized by {@link MathProblem#normalizeAnswer}. A row without {@code ####}, or
 * with nothing after it, is a bad row: it cannot be scored.
 *
 * <pre>{@code
 * LoadedDataset<MathProblem> gsm8k = new Gsm8kReader(Path.of("test.jsonl"), BadRowPolicy.FAIL).read();
 * }</pre>
 */
public final class Gsm8kReader implements DatasetReader<MathProblem> {

    private static final String FINAL_ANSWER_MARK = "####";

    private final Path file;
    private final BadRowPolicy policy;

    public Gsm8kReader(Path file, BadRowPolicy policy) {
        this.file = Objects.requireNonNull(file, "file");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    @Override
    public LoadedDataset<MathProblem> read() {
        ReadTally tally = new ReadTally(policy);
        List<MathProblem> problems;
        try (RowSource rows = new JsonLinesRowSource(file, tally)) {
            problems = rows.collect(row -> toProblem(row, tally));
        }
        return new LoadedDataset<>(problems, tally.report(problems.size()), fingerprint());
    }

    @Override
    public List<Path> inputFiles() {
        return List.of(file);
    }

    @Override
    public SortedMap<String, String> settings() {
        return new TreeMap<>(Map.of("reader", "gsm8k-jsonl"));
    }

    private static Optional<MathProblem> toProblem(SourceRow row, ReadTally tally) {
        String question = row.get("question");
        String answer = row.get("answer");
        if (question == null || answer == null) {
            tally.reject(row.missing(question == null ? "question" : "answer"));
            return Optional.empty();
        }
        int mark = answer.lastIndexOf(FINAL_ANSWER_MARK);
        String finalAnswer = mark < 0 ? "" : MathProblem.normalizeAnswer(answer.substring(mark + FINAL_ANSWER_MARK.length()));
        if (finalAnswer.isEmpty()) {
            tally.reject(row.problem("answer", "has no final answer; GSM8K answers end in a line '#### <number>'"));
            return Optional.empty();
        }
        return Optional.of(new MathProblem(row.generatedId(), tally.checkText(question), answer, finalAnswer));
    }
}
