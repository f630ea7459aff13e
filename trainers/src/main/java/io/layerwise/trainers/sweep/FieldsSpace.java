package io.layerwise.trainers.sweep;

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
    private final Map<String, ParameterSpace<?>> fields = new LinkedHashMap<>();

    FieldsSpace(Map<String, FieldSpace> fields) {
        fields.forEach((path, space) -> this.fields.put(path, space.toParameterSpace()));
    }

    @Override
    public SweepPoint getValue(double[] parameterValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        fields.forEach((path, space) -> values.put(path, space.getValue(parameterValues)));
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
