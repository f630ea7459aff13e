package io.layerwise.trainers.sweep;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.config.ConfigEnums;
import io.layerwise.datasets.config.ConfigFieldException;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What a sweep optimizes: one metric a candidate reports (for {@code train}, any number of its
 * {@code metrics.json} by dotted path: {@code validation.mlp.f1.6} for layer 6,
 * {@code validation.mlp.f1.mean} for the mean over layers), or the mean of every metric a pattern
 * matches, where {@code *} stands for any run of characters other than a dot
 * ({@code validation.*.f1.mean}: the mean over probe kinds), to be maximized or minimized.
 *
 * <pre>
 * objective: {metric: validation.mlp.f1.mean, goal: maximize}
 * </pre>
 *
 * @param metric a metric name, optionally with {@code *} wildcards (required)
 * @param goal {@code maximize} or {@code minimize} (default maximize)
 */
public record Objective(String metric, Goal goal) {

    /** Which way is better. */
    public enum Goal {
        MAXIMIZE, MINIMIZE;

        @JsonCreator
        public static Goal fromConfig(String name) {
            return ConfigEnums.parse(Goal.class, name);
        }

        @JsonValue
        public String configName() {
            return ConfigEnums.configName(this);
        }
    }

    public Objective {
        if (metric == null || metric.isBlank()) {
            throw new ConfigFieldException("metric", "is required: a metric the candidates report, e.g. validation.mlp.f1.mean");
        }
        goal = goal == null ? Goal.MAXIMIZE : goal;
    }

    public boolean minimize() {
        return goal == Goal.MINIMIZE;
    }

    /** Whether {@code a} is a better objective value than {@code b}. */
    public boolean better(double a, double b) {
        return minimize() ? a < b : a > b;
    }

    /**
     * The objective of one candidate's metrics: the named metric, or the mean of the matching ones.
     *
     * @throws IllegalArgumentException when no metric matches or a matching one is not a finite number,
     *     naming the metrics that were reported
     */
    public double of(Map<String, Double> metrics) {
        Pattern pattern = Pattern.compile(Pattern.quote(metric).replace("*", "\\E[^.]+\\Q"));
        double sum = 0;
        int count = 0;
        for (Map.Entry<String, Double> entry : new TreeMap<>(metrics).entrySet()) {
            if (pattern.matcher(entry.getKey()).matches()) {
                if (entry.getValue() == null || !Double.isFinite(entry.getValue())) {
                    throw new IllegalArgumentException("objective metric " + entry.getKey() + " is " + entry.getValue());
                }
                sum += entry.getValue();
                count++;
            }
        }
        if (count == 0) {
            throw new IllegalArgumentException("no reported metric matches the objective '" + metric + "'; reported: "
                    + new TreeMap<>(metrics).keySet());
        }
        return sum / count;
    }
}
