package io.layerwise.trainers.probes;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a probe's probability becomes a decision: a fixed threshold ({@code threshold: 0.5}) or one tuned
 * on the validation split to maximize F1 ({@code threshold: tuned}). The threshold actually used is
 * recorded with every probe, so test metrics never see a value chosen on test data.
 *
 * @param tuned choose on validation
 * @param fixed the threshold when not tuned, in (0, 1)
 */
public record ThresholdRule(boolean tuned, double fixed) {
    public static final ThresholdRule HALF = new ThresholdRule(false, 0.5);

    public ThresholdRule {
        if (!tuned && !(fixed > 0 && fixed < 1)) {
            throw new IllegalArgumentException("a fixed threshold must lie strictly between 0 and 1, got " + fixed);
        }
    }

    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static ThresholdRule fromConfig(JsonNode node) {
        if (node.isTextual() && node.asText().equals("tuned")) {
            return new ThresholdRule(true, Double.NaN);
        }
        if (node.isNumber()) {
            return new ThresholdRule(false, node.asDouble());
        }
        throw new IllegalArgumentException("expected a number in (0, 1) or 'tuned', got " + node);
    }

    @JsonValue
    public Object configValue() {
        return tuned ? "tuned" : fixed;
    }

    /** How the card records this rule: {@code fixed} or {@code validation_f1}. */
    public String chosenBy() {
        return tuned ? "validation_f1" : "fixed";
    }

    /** The threshold for a probe whose validation probabilities and labels are given. */
    public double choose(double[] validationProbabilities, long[] validationLabels) {
        return tuned ? BinaryMetrics.bestF1Threshold(validationProbabilities, validationLabels) : fixed;
    }
}
