package io.layerwise.cli;

import io.layerwise.trainers.sweep.Sweep;
import io.layerwise.trainers.sweep.SweepConfig;
import io.layerwise.trainers.sweep.SweepFailedException;
import io.layerwise.trainers.sweep.SweepOutcome;
import io.layerwise.trainers.sweep.SweepPlan;
import io.layerwise.trainers.sweep.SweepTarget;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code layerwise sweep CONFIG.yaml}: a hyperparameter sweep (grid or random, on Arbiter) over fields
 * of a {@code train} or {@code sanitize} config. Exits 0 when at least one candidate completed, 1 when none did (every
 * error printed), 2 for config errors, which are all found before any candidate runs.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Hyperparameter sweep over fields of a train or sanitize config (grid or random search on Arbiter).",
                "Writes tables/sweep.csv, best.yaml, plots and report.html; resumable: rerun to continue."})
final class SweepCommand implements Callable<Integer> {
    @Mixin
    ConfigArguments arguments;

    @Override
    public Integer call() {
        SweepConfig config = arguments.load(SweepConfig.class).value();
        SweepTarget target = switch (config.command()) {
            case TRAIN -> new TrainSweepTarget(config.fields().keySet());
            case SANITIZE -> new SanitizeSweepTarget();
        };
        SweepPlan plan = Sweep.validate(config, target);
        if (arguments.printedDryRun(config)) {
            System.out.printf("%d candidates:%n%s", plan.size(), Sweep.planTable(config, plan).toMarkdown());
            return 0;
        }
        try {
            SweepOutcome outcome = Sweep.run(config, target, System.err);
            System.out.printf("sweep: %d of %d candidates completed, %d failed, %d not run; best candidate %d: %s = %.6g; "
                            + "report: %s%n", outcome.completed(), outcome.planned(), outcome.failed().size(), outcome.notRun(),
                    outcome.best().orElseThrow().index(), config.objective().metric(), outcome.best().orElseThrow().objective(),
                    outcome.report());
            return 0;
        } catch (SweepFailedException e) {
            System.err.println("layerwise: sweep failed: " + e.getMessage());
            return 1;
        }
    }
}
