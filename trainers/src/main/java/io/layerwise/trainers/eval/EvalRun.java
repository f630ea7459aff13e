package io.layerwise.trainers.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.datasets.DatasetException;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One evaluation written to a run directory: {@code config.resolved.yaml}, {@code predictions.jsonl}
 * (one line per item, the resume point), {@code metrics.json} and {@code report.html}. A directory
 * already holding predictions of a different evaluation is refused rather than mixed: the resolved
 * config (output excepted) must match the one recorded there.
 */
public final class EvalRun {
    static final String RESOLVED_CONFIG = "config.resolved.yaml";
    static final String PREDICTIONS = "predictions.jsonl";

    private EvalRun() {}

    /**
     * Evaluates {@code task} into {@code run}; {@code resolvedConfig} is the YAML that identifies it.
     *
     * @return the metrics, also written to {@code metrics.json}
     */
    public static ObjectNode run(EvalTask task, int batchSize, RunDirectory run, String resolvedConfig, String title,
            PrintStream log) {
        requireSameEvaluation(run, resolvedConfig);
        run.writeText(RESOLVED_CONFIG, resolvedConfig);
        long start = System.nanoTime();
        ObjectNode metrics = new EvalRunner(batchSize).run(task, run.resolve(PREDICTIONS), done -> {
            double seconds = (System.nanoTime() - start) / 1e9;
            log.printf(Locale.ROOT, "%s: %d/%d items (%.1f s)%n", task.name(), done, task.size(), seconds);
        });
        run.writeJson("metrics.json", metrics);
        run.writeReport(title);
        return metrics;
    }

    /** Convenience for the {@code eval} command: build the task from its config and run it. */
    public static ObjectNode run(EvalConfig config, String resolvedConfig, FrozenTransformer model, PrintStream log) {
        RunDirectory run = RunDirectory.create(Path.of(config.output()));
        EvalTask task = EvalTasks.create(config, model, Interventions.none());
        return run(task, config.batchSize(), run, resolvedConfig, config.task().configName() + " on " + model.id(), log);
    }

    private static void requireSameEvaluation(RunDirectory run, String resolvedConfig) {
        Path recorded = run.resolve(RESOLVED_CONFIG);
        if (!Files.exists(run.resolve(PREDICTIONS)) || !Files.exists(recorded)) {
            return;
        }
        try {
            if (!withoutOutput(Files.readString(recorded)).equals(withoutOutput(resolvedConfig))) {
                throw new DatasetException(run.root() + " holds predictions of a different evaluation (its "
                        + RESOLVED_CONFIG + " differs): choose another output, or delete the directory to start over");
            }
        } catch (IOException e) {
            throw new DatasetException("cannot read " + recorded + ": " + e.getMessage(), e);
        }
    }

    private static String withoutOutput(String yaml) {
        return yaml.lines().filter(line -> !line.startsWith("output:")).reduce("", (a, b) -> a + b + "\n");
    }
}
