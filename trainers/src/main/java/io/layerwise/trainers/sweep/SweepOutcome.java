package io.layerwise.trainers.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * How a sweep ended: the result of every candidate that ran (now or in an earlier run), the best one,
 * and the report.
 *
 * @param planned candidates in the plan
 * @param results results in plan order; candidates not run (a time limit) have none
 * @param best the best complete candidate (ties go to the lower index), if any completed
 * @param report the sweep's {@code report.html}
 */
public record SweepOutcome(int planned, List<CandidateResult> results, Optional<CandidateResult> best, Path report) {

    public SweepOutcome {
        results = List.copyOf(results);
    }

    public long completed() {
        return results.stream().filter(CandidateResult::complete).count();
    }

    public List<CandidateResult> failed() {
        return results.stream().filter(r -> !r.complete()).toList();
    }

    public int notRun() {
        return planned - results.size();
    }
}
