package io.layerwise.trainers.sweep;

import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.checkpoints.run.Table;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.config.ConfigLoader;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxCandidatesCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.MaxTimeCondition;
import org.deeplearning4j.arbiter.optimize.api.termination.TerminationCondition;
import org.deeplearning4j.arbiter.optimize.config.OptimizationConfiguration;
import org.deeplearning4j.arbiter.optimize.runner.CandidateInfo;
import org.deeplearning4j.arbiter.optimize.runner.CandidateStatus;
import org.deeplearning4j.arbiter.optimize.runner.LocalOptimizationRunner;

/**
 * A hyperparameter sweep on Arbiter's generic core: the plan comes from Arbiter's grid or random
 * generator, candidates run on its {@link LocalOptimizationRunner} (up to {@code parallelism} at once,
 * stopped by its termination conditions) through a Layerwise task creator and score function, and each
 * candidate runs a {@link SweepTarget} with its values as config overrides.
 *
 * <p>Every candidate's config is validated before anything runs. Each candidate commits its result on
 * its own ({@link CandidateTrial}: a pure function of its index), so a rerun skips completed candidates
 * and a later cluster mode can run trial k per job and merge with {@link SweepReport}. Failed candidates
 * are recorded with their error; a sweep with no completed candidate throws {@link SweepFailedException}
 * after writing its report, because Arbiter's runner returns normally even when every candidate failed.
 *
 * <pre>{@code
 * SweepConfig config = ConfigLoader.load(Path.of("configs/sweep-train-learning-rate.yaml"), List.of(), SweepConfig.class).value();
 * SweepOutcome outcome = Sweep.run(config, new TrainSweepTarget(), System.err);
 * outcome.best();   // the best candidate; best.yaml holds its config
 * }</pre>
 */
public final class Sweep {
    private Sweep() {}

    /**
     * The plan, with every candidate's config checked by the target (nothing runs, nothing is written).
     *
     * @throws DatasetException naming the candidate and the field, when a candidate's config is invalid
     */
    public static SweepPlan validate(SweepConfig config, SweepTarget target) {
        SweepPlan plan = SweepPlan.of(config);
        Path base = Path.of(config.base());
        for (int k = 0; k < plan.size(); k++) {
            List<String> overrides = new ArrayList<>(config.setOverrides());
            overrides.addAll(plan.point(k).overrides());
            overrides.add(SweepConfig.OUTPUT_KEY + "=" + CandidateTrial.folder(Path.of(config.output()), k).resolve("run"));
            try {
                target.resolve(base, overrides);
            } catch (DatasetException e) {
                throw new DatasetException("sweep candidate " + k + " " + plan.point(k).overrides() + " is not a valid "
                        + config.command().configName() + " config: " + e.getMessage(), e);
            }
        }
        return plan;
    }

    /** The plan as a table (one row per candidate), for dry runs. */
    public static Table planTable(SweepConfig config, SweepPlan plan) {
        List<String> columns = new ArrayList<>(List.of("candidate"));
        columns.addAll(config.fields().keySet());
        List<List<Object>> rows = new ArrayList<>();
        for (int k = 0; k < plan.size(); k++) {
            List<Object> row = new ArrayList<>(List.of(k));
            row.addAll(plan.point(k).displayValues());
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    /**
     * Runs (or resumes) the sweep and writes its run directory: {@code config.resolved.yaml},
     * {@code candidates/<k>/}, {@code tables/sweep.*}, {@code best.yaml}, plots and {@code report.html}.
     *
     * @throws SweepFailedException when no candidate completed, listing every error
     */
    public static SweepOutcome run(SweepConfig config, SweepTarget target, PrintStream log) {
        SweepPlan plan = validate(config, target);
        Path base = Path.of(config.base());
        RunDirectory run = RunDirectory.create(Path.of(config.output()));
        run.writeText("config.resolved.yaml", ConfigLoader.toYaml(config));
        // set first: what prepare returns (e.g. the shared store) comes after it and wins
        List<String> shared = new ArrayList<>(config.setOverrides());
        shared.addAll(target.prepare(base, config.setOverrides(), run.resolve("shared"), log));
        ObjectiveScore score = new ObjectiveScore(config.objective());
        CandidateTrial trial = new CandidateTrial(plan, target, base, shared, score, run.root(), log);

        List<Integer> pending = new ArrayList<>();
        for (int k = 0; k < plan.size(); k++) {
            if (!trial.done(k)) {
                pending.add(k);
            }
        }
        log.printf("sweep: %d candidates, %d to run, %d at a time%n", plan.size(), pending.size(), config.parallelism());
        Map<Integer, String> runnerFailures = pending.isEmpty() ? Map.of() : runOnArbiter(config, plan, pending, score, trial, log);
        List<CandidateResult> results = new ArrayList<>();
        for (int k = 0; k < plan.size(); k++) {
            Optional<CandidateResult> current = trial.current(k);
            if (current.isPresent()) {
                results.add(current.get());
            } else if (runnerFailures.containsKey(k)) {
                results.add(new CandidateResult(k, plan.point(k).values(), CandidateResult.Status.FAILED, null, Map.of(), 0,
                        runnerFailures.get(k), null));
            }
        }
        Optional<CandidateResult> best = Optional.empty();
        for (CandidateResult r : results) {
            if (r.complete() && (best.isEmpty() || config.objective().better(r.objective(), best.get().objective()))) {
                best = Optional.of(r);
            }
        }
        Path report = SweepReport.write(run, config, plan, results, best, target, shared);
        SweepOutcome outcome = new SweepOutcome(plan.size(), results, best, report);
        if (outcome.notRun() > 0) {
            log.printf("sweep: %d candidates not run (max_minutes reached, or stopped by an error outside the candidate: "
                    + "see above); run the same command again to run them%n", outcome.notRun());
        }
        if (outcome.completed() == 0) {
            StringBuilder message = new StringBuilder("no candidate of the sweep completed (" + outcome.failed().size()
                    + " failed, " + outcome.notRun() + " not run); report: " + report);
            for (CandidateResult failed : outcome.failed()) {
                message.append("\n  candidate ").append(failed.index()).append(' ').append(plan.point(failed.index()).overrides())
                        .append(": ").append(failed.error());
            }
            throw new SweepFailedException(message.toString());
        }
        best.ifPresent(b -> log.printf("sweep: best candidate %d %s, objective %.6g; config: %s%n", b.index(),
                plan.point(b.index()).overrides(), b.objective(), run.resolve(SweepReport.BEST_CONFIG)));
        return outcome;
    }

    /**
     * Runs the pending candidates on Arbiter's local runner, up to {@code parallelism} at once, until all
     * have ended or {@code max_minutes} has passed; returns the first line of the error of any task that
     * failed past the trial (which records everything else itself), by candidate index.
     */
    private static Map<Integer, String> runOnArbiter(SweepConfig config, SweepPlan plan, List<Integer> pending,
            ObjectiveScore score, CandidateTrial trial, PrintStream log) {
        List<TerminationCondition> stops = new ArrayList<>(List.of(new MaxCandidatesCondition(pending.size())));
        if (config.maxMinutes() != null) {
            stops.add(new MaxTimeCondition(Math.round(config.maxMinutes() * 60_000), TimeUnit.MILLISECONDS));
        }
        OptimizationConfiguration arbiter = new OptimizationConfiguration.Builder()
                .candidateGenerator(new PlannedCandidates(plan, pending))
                .scoreFunction(score)
                .terminationConditions(stops)
                .build();
        LocalOptimizationRunner runner = new LocalOptimizationRunner(config.parallelism(), arbiter, new SweepTaskCreator(trial));
        runner.execute();
        log.printf("sweep: this run completed %d, failed %d%n", runner.numCandidatesCompleted(), runner.numCandidatesFailed());
        Map<Integer, String> failures = new HashMap<>();
        for (CandidateInfo info : runner.getCandidateStatus()) {
            if (info.getCandidateStatus() == CandidateStatus.Failed && info.getExceptionStackTrace() != null) {
                failures.put(info.getIndex(), info.getExceptionStackTrace().lines().findFirst().orElse(""));
            }
        }
        return failures;
    }
}
