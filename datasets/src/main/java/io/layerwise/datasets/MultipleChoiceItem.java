package io.layerwise.datasets;

import java.util.List;
import java.util.Objects;

/**
 * One MMLU-style multiple-choice question: the question, its choices in letter order (A, B, C, D) and
 * the index of the correct one. The subject comes from the file name in MMLU's original layout
 * ({@code abstract_algebra_dev.csv} gives {@code abstract_algebra}), or from the {@code subject} column in
 * Hugging Face's Parquet layout, and is empty when neither gives one; prompt builders then use a generic
 * subject.
 *
 * @param id {@code <file name>:<line>} (CSV) or {@code <directory>/<file name>:<row>} (Parquet)
 * @param question the question text
 * @param choices the answer options, first = A
 * @param answerIndex index into {@code choices} of the correct answer
 * @param subject MMLU subject with underscores as in the file name, or {@code ""}
 */
public record MultipleChoiceItem(String id, String question, List<String> choices, int answerIndex, String subject) {

    public MultipleChoiceItem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(subject, "subject");
        choices = List.copyOf(choices);
        Objects.checkIndex(answerIndex, choices.size());
    }

    /** The letter of the correct answer, {@code 'A'} for index 0. */
    public char answerLetter() {
        return (char) ('A' + answerIndex);
    }
}
