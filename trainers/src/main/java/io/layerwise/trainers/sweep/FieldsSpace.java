package io.layerwise.trainers.sweep;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * Arbiter's view of a sweep: one leaf space per swept config path, combined into a space whose values
 * are {@link SweepPoint}s. Arbiter's generators number the leaves and hand every leaf its slots of the
 * candidate vector (values in [0, 1] that each leaf maps through its distribution), so a leaf belongs to
 * exactly one field and one space.
 */
final class FieldsSpace implements ParameterSpace<SweepPoint> {
    private static final MathContext SIGNIFICANT = new MathContext(12);

    private final Map<String, FieldSpace> specs;
    private final Map<String, ParameterSpace<?>> fields = new LinkedHashMap<>();

    FieldsSpace(Map<String, FieldSpace> fields) {
        this.specs = fields;
        fields.forEach((path, space) -> this.fields.put(path, space.toParameterSpace()));
    }

    /**
     * The candidate at a point of the unit cube. Continuous values are rounded to 12 significant digits:
     * Arbiter's log-uniform inverse CDF gives {@code 1.0000000000000009E-4} for the end {@code 1.0e-4},
     * and a config, a table or a plan should show the range's own numbers.
     */
    @Override
    public SweepPoint getValue(double[] parameterValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        fields.forEach((path, space) -> {
            Object value = space.getValue(parameterValues);
            values.put(path, specs.get(path).configValue(
                    value instanceof Double d ? new BigDecimal(d).round(SIGNIFICANT).doubleValue() : value));
        });
        return new SweepPoint(values);
    }

    @Override
    public int numParameters() {
        return fields.values().stream().mapToInt(ParameterSpace::numParameters).sum();
    }

    @Override
    @SuppressWarnings("rawtypes")
    public List<ParameterSpace> collectLeaves() {
        List<ParameterSpace> leaves = new ArrayList<>();
        fields.values().forEach(space -> leaves.addAll(space.collectLeaves()));
        return leaves;
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Map<String, ParameterSpace> getNestedSpaces() {
        return new LinkedHashMap<>(fields);
    }

    @Override
    public boolean isLeaf() {
        return false;
    }

    @Override
    public void setIndices(int... indices) {
        throw new UnsupportedOperationException("only the leaf spaces of a sweep take candidate-vector indices");
    }
}
