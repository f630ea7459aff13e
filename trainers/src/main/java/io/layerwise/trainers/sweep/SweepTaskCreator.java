package io.layerwise.trainers.sweep;

import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.deeplearning4j.arbiter.optimize.api.Candidate;
import org.deeplearning4j.arbiter.optimize.api.OptimizationResult;
import org.deeplearning4j.arbiter.optimize.api.TaskCreator;
import org.deeplearning4j.arbiter.optimize.api.data.DataProvider;
import org.deeplearning4j.arbiter.optimize.api.data.DataSource;
import org.deeplearning4j.arbiter.optimize.api.score.ScoreFunction;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.IOptimizationRunner;
import org.deeplearning4j.arbiter.optimize.runner.listener.StatusListener;

/**
 * Arbiter's task creator for a sweep: each task runs one candidate through {@link CandidateTrial} (which
 * records the result itself) and reports it back to the runner as complete with its score, or failed
 * with its error. Arbiter's data providers are unused: targets read their data from their configs.
 */
final class SweepTaskCreator implements TaskCreator {
    private final CandidateTrial trial;

    SweepTaskCreator(CandidateTrial trial) {
        this.trial = trial;
    }

    @Override
    @Deprecated
    @SuppressWarnings("rawtypes")
    public Callable<OptimizationResult> create(Candidate candidate, DataProvider dataProvider, ScoreFunction scoreFunction,
            List<StatusListener> statusListeners, IOptimizationRunner runner) {
        return task(candidate);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public Callable<OptimizationResult> create(Candidate candidate, Class<? extends DataSource> dataSource,
            Properties dataSourceProperties, ScoreFunction scoreFunction, List<StatusListener> statusListeners,
            IOptimizationRunner runner) {
        return task(candidate);
    }

    private Callable<OptimizationResult> task(Candidate<?> candidate) {
        return () -> {
            long start = System.currentTimeMillis();
            CandidateResult result = trial.run(candidate.getIndex());
            CandidateInfo info = new CandidateInfo(candidate.getIndex(),
                    result.complete() ? CandidateStatus.Complete : CandidateStatus.Failed, result.objective(), start, start,
                    System.currentTimeMillis(), candidate.getFlatParameters(), result.error());
            return new OptimizationResult(candidate, result.objective(), candidate.getIndex(), result, info, null);
        };
    }
}
