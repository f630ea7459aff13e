package io.layerwise.datasets;

import java.util.Objects;

/**
 * One GSM8K word problem: the question, the reference solution with its calculator annotations, and the
 * final answer taken from the solution's {@code #### <n>} line, normalized so that a generated answer can
 * be compared as a string (thousands separators removed: {@code 1,200} becomes {@code 1200}).
 *
 * @param id {@code <file name>:<line>}
 * @param question the word problem
 * @param answer the full reference solution, ending in {@code #### <n>}
 * @param finalAnswer the text after the last {@code ####}, trimmed, commas removed
 */
public record MathProblem(String id, String question, String answer, String finalAnswer) {

    public MathProblem {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(finalAnswer, "finalAnswer");
    }

    /**
     * Normalizes a final answer the way {@link #finalAnswer()} is normalized, so that a model's answer
     * and the reference compare equal when they differ only in thousands separators or spacing.
     */
    public static String normalizeAnswer(String raw) {
        return raw.strip().replace(",", "");
    }
}
