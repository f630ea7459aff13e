package io.layerwise.trainers.sweep;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.GridSearchCandidateGenerator;
import org.deeplearning4j.arbiter.optimize.generator.RandomSearchGenerator;

/**
 * Every candidate of a sweep, drawn up front from Arbiter's grid or random generator: candidate
 * {@code k} is a pure function of the sweep config and {@code k} (the grid's k-th point in sequential
 * order, or the k-th draw of the seeded random generator). Planning first is what makes a sweep
 * resumable and splittable: a rerun, or a scheduler running one trial per job, finds the same candidate
 * under the same index, and a dry run can print the whole plan.
 *
 * <pre>{@code
 * SweepPlan plan = SweepPlan.of(config);
 * plan.point(3).overrides();   // [mlp.learning_rate=0.001, mlp.hidden_size=64]
 * }</pre>
 */
public final class SweepPlan {
    private final FieldsSpace space;
    private final List<Candidate<SweepPoint>> candidates;

    private SweepPlan(FieldsSpace space, List<Candidate<SweepPoint>> candidates) {
        this.space = space;
        this.candidates = List.copyOf(candidates);
    }

    public static SweepPlan of(SweepConfig config) {
        FieldsSpace space = new FieldsSpace(config.fields());
        CandidateGenerator generator;
        int count;
        if (config.generator().grid() != null) {
            GridSearchCandidateGenerator grid = new GridSearchCandidateGenerator(space,
                    config.generator().grid().discretization(), GridSearchCandidateGenerator.Mode.Sequential, null);
            generator = grid;
            count = grid.getTotalNumCandidates();
        } else {
            generator = new RandomSearchGenerator(space, null);
            generator.setRngSeed(config.generator().random().seed());
            count = config.generator().random().candidates();
        }
        List<Candidate<SweepPoint>> drawn = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            @SuppressWarnings("unchecked")
            Candidate<SweepPoint> candidate = generator.getCandidate();
            if (candidate.getException() != null) {
                throw new IllegalArgumentException("candidate " + k + " could not be generated: "
                        + candidate.getException().getMessage(), candidate.getException());
            }
            drawn.add(candidate);
        }
        return new SweepPlan(space, drawn);
    }

    public int size() {
        return candidates.size();
    }

    /** Candidate {@code index}'s values. */
    public SweepPoint point(int index) {
        return candidates.get(index).getValue();
    }

    /** The Arbiter parameter space the candidates were drawn from. */
    FieldsSpace space() {
        return space;
    }

    /** Candidate {@code index} as Arbiter's runner takes it. */
    Candidate<SweepPoint> candidate(int index) {
        return candidates.get(index);
    }
}
