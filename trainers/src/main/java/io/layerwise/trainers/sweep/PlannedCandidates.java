package io.layerwise.trainers.sweep;

import java.util.List;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.CandidateGenerator;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.ParameterSpace;

/**
 * Hands Arbiter's runner the planned candidates that still need running, in plan order, keeping their
 * plan indices. The plan itself was drawn by Arbiter's grid or random generator ({@link SweepPlan});
 * replaying it, rather than generating while running, keeps candidate k the same on every run.
 */
final class PlannedCandidates implements CandidateGenerator {
    private final SweepPlan plan;
    private final List<Integer> pending;
    private int next;

    PlannedCandidates(SweepPlan plan, List<Integer> pending) {
        this.plan = plan;
        this.pending = List.copyOf(pending);
    }

    @Override
    public boolean hasMoreCandidates() {
        return next < pending.size();
    }

    @Override
    public Candidate<SweepPoint> getCandidate() {
        return plan.candidate(pending.get(next++));
    }

    @Override
    public void reportResults(OptimizationResult result) {
        // a planned sweep does not adapt to results
    }

    @Override
    public ParameterSpace<?> getParameterSpace() {
        return plan.space();
    }

    @Override
    public void setRngSeed(long rngSeed) {
        // the plan was drawn with the sweep's own seed
    }

    @Override
    public Class<?> getCandidateType() {
        return SweepPoint.class;
    }
}
