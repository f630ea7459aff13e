package io.layerwise.trainers.sweep;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;

/**
 * Arbiter's score function for a sweep: the "model" it scores is a candidate's metrics map, and the
 * score is the sweep's {@link Objective} of it. Arbiter's runner also asks it which way is better.
 */
final class ObjectiveScore implements ScoreFunction {
    private static final long serialVersionUID = 1L;

    private final String metric;
    private final Objective.Goal goal;

    ObjectiveScore(Objective objective) {
        this.metric = objective.metric();
        this.goal = objective.goal();
    }

    /** The objective of a candidate's metrics. */
    double of(Map<String, Double> metrics) {
        return new Objective(metric, goal).of(metrics);
    }

    @Override
    @SuppressWarnings({"unchecked", "deprecation"})
    public double score(Object model, DataProvider dataProvider, Map<String, Object> dataParameters) {
        return of((Map<String, Double>) model);
    }

    @Override
    @SuppressWarnings("unchecked")
    public double score(Object model, Class<? extends DataSource> dataSource, Properties dataSourceProperties) {
        return of((Map<String, Double>) model);
    }

    @Override
    public boolean minimize() {
        return goal == Objective.Goal.MINIMIZE;
    }

    @Override
    public List<Class<?>> getSupportedModelTypes() {
        return List.of(Map.class);
    }

    @Override
    public List<Class<?>> getSupportedDataTypes() {
        return List.of(Object.class);
    }
}
