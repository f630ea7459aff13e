package io.layerwise.trainers.sweep;

import io.layerwise.datasets.config.ConfigFieldException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;
import org.deeplearning4j.arbiter.optimize.distribution.LogUniformDistribution;
import org.deeplearning4j.arbiter.optimize.parameter.continuous.ContinuousParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.discrete.DiscreteParameterSpace;
import org.deeplearning4j.arbiter.optimize.parameter.integer.IntegerParameterSpace;

/**
 * The values one swept config field may take, written as exactly one of four keys and turned into the
 * matching Arbiter parameter space. A grid takes {@code discretization} evenly spaced points of a
 * continuous range (evenly spaced in log space for {@code log_uniform}), every value of a list, and
 * {@code min(max - min + 1, discretization)} integers; a random search draws from the same spaces.
 *
 * <pre>
 * mlp.dropout: {linear: [0.0, 0.5]}                # continuous, uniform
 * mlp.learning_rate: {log_uniform: [1.0e-4, 1.0e-1]}  # continuous, uniform in log(value)
 * mlp.hidden_size: {integer: [32, 256]}            # whole numbers, both ends included
 * mlp.activation: {values: [relu, tanh]}           # a discrete list (any YAML values)
 * alphas: {log_uniform: [0.01, 1.0], as_list: true}  # each value as a one-element list: alphas: [0.1]
 * </pre>
 *
 * @param linear {@code [min, max]} with {@code min < max}
 * @param logUniform {@code [min, max]} with {@code 0 < min < max}
 * @param integer {@code [min, max]} with {@code min < max}
 * @param values at least two values; numbers, strings, booleans, lists or mappings
 * @param asList give each value to the config as a one-element list, for fields that take lists
 *     ({@code alphas}, {@code top_n}) when each candidate should have one value (default false)
 */
public record FieldSpace(List<Double> linear, List<Double> logUniform, List<Integer> integer, List<Object> values,
        Boolean asList) {

    public FieldSpace {
        asList = asList != null && asList;
        int given = (linear == null ? 0 : 1) + (logUniform == null ? 0 : 1) + (integer == null ? 0 : 1)
                + (values == null ? 0 : 1);
        if (given != 1) {
            throw new ConfigFieldException(null, "give exactly one of linear: [min, max], log_uniform: [min, max], "
                    + "integer: [min, max] or values: [...]");
        }
        if (linear != null) {
            linear = range("linear", linear);
            if (!(linear.get(0) < linear.get(1))) {
                throw new ConfigFieldException("linear", "needs min < max, got " + linear);
            }
        }
        if (logUniform != null) {
            logUniform = range("log_uniform", logUniform);
            if (!(logUniform.get(0) > 0 && logUniform.get(0) < logUniform.get(1))) {
                throw new ConfigFieldException("log_uniform", "needs 0 < min < max, got " + logUniform);
            }
        }
        if (integer != null) {
            integer = range("integer", integer);
            if (integer.get(0) >= integer.get(1)) {
                throw new ConfigFieldException("integer", "needs min < max (set a single value in the base config), got "
                        + integer);
            }
        }
        if (values != null) {
            // one value is not a sweep, and Arbiter's grid drops one-valued dimensions from its candidate vector
            if (values.size() < 2 || values.contains(null)) {
                throw new ConfigFieldException("values", "must list at least two values and no nulls (set a single value "
                        + "in the base config), got " + values);
            }
            for (Object value : values) {
                if (!(value instanceof Serializable)) {
                    throw new ConfigFieldException("values", "cannot hold " + value);
                }
            }
            values = List.copyOf(new ArrayList<>(values));
        }
    }

    private static <N extends Number> List<N> range(String field, List<N> bounds) {
        if (bounds.size() != 2 || bounds.contains(null)) {
            throw new ConfigFieldException(field, "must be [min, max], got " + bounds);
        }
        if (!Double.isFinite(bounds.get(0).doubleValue()) || !Double.isFinite(bounds.get(1).doubleValue())) {
            throw new ConfigFieldException(field, "must be finite numbers, got " + bounds);
        }
        return List.copyOf(bounds);
    }

    /** Whether the values are spaced evenly in log space, so plots put them on a log axis. */
    public boolean logarithmic() {
        return logUniform != null;
    }

    /** Whether the values are numbers a plot can use as its x axis (a list of non-numbers is plotted by position). */
    public boolean numeric() {
        return values == null || values.stream().allMatch(Number.class::isInstance);
    }

    /** The value a candidate's config gets for a value drawn from this space. */
    Object configValue(Object drawn) {
        return asList ? new ArrayList<>(List.of(drawn)) : drawn;
    }

    /** The value drawn from this space, given the value a candidate's config got. */
    Object drawnValue(Object configValue) {
        return asList ? ((List<?>) configValue).get(0) : configValue;
    }

    /** A fresh Arbiter space for these values (a space holds its position in the candidate vector, so never share one). */
    ParameterSpace<?> toParameterSpace() {
        if (linear != null) {
            return new ContinuousParameterSpace(linear.get(0), linear.get(1));
        }
        if (logUniform != null) {
            return new ContinuousParameterSpace(new LogUniformDistribution(logUniform.get(0), logUniform.get(1)));
        }
        if (integer != null) {
            return new IntegerParameterSpace(integer.get(0), integer.get(1));
        }
        return new DiscreteParameterSpace<>(values);
    }

    /** How a plan shows this space: {@code log_uniform [1.0E-4, 0.1]}. */
    public String describe() {
        if (linear != null) {
            return "linear " + linear;
        }
        if (logUniform != null) {
            return "log_uniform " + logUniform;
        }
        if (integer != null) {
            return "integer " + integer;
        }
        return String.format(Locale.ROOT, "values %s", values);
    }
}
