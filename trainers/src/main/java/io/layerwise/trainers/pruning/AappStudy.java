package io.layerwise.trainers.pruning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.checkpoints.run.LinePlot;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.checkpoints.run.Table;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.DatasetFingerprint;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.models.ModelException;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.tokenizer.ChatTemplate;
import io.layerwise.trainers.eval.EvalRun;
import io.layerwise.trainers.eval.PromptFormat;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * {@code layerwise aapp}: the dense model, then each method ({@link PruningMethod}) at each non-zero
 * prune ratio, on held-out harmful and benign prompts. Every row is an {@link EvalRun} under
 * {@code rows/<method>-<ratio>/} (predictions saved item by item, so the study resumes); the study
 * writes {@code tables/aapp.csv|md} (the seed's Table 1: refusal rate on harmful prompts, F1, accuracy,
 * false-acceptance rate, plus GFLOPs per token), the refusal-rate-vs-GFLOPs plot (the seed's Figure 3,
 * every curve starting at the dense model), the classifier bundle when one is trained, and the report.
 * The energy store must come from the same weights, and its prompt rows must not overlap the
 * evaluation's.
 */
public final class AappStudy {
    private AappStudy() {}

    public static Table run(AappConfig config, FrozenTransformer model, PrintStream log) {
        EnergyStore store = EnergyStore.open(Path.of(config.energies()));
        requireCompatible(store, config, model);
        RunDirectory run = RunDirectory.create(Path.of(config.output()));
        String resolved = ConfigLoader.toYaml(config);
        run.writeText("config.resolved.yaml", resolved);
        run.writeJson("energies-manifest.json", store.manifest());
        RefusalClassifier classifier = null;
        if (config.classifier() != null) {
            classifier = RefusalClassifier.train(model, config.classifier(), log);
            classifier.bundle().write(run.resolve("classifier"));
        }
        ProbePruner pruner = new ProbePruner(model, store.set("general"), store.set("benign"), store.set("harmful"),
                new ProbePass(config.probeRows(), config.probeTokens()), config.probeFixedRatio(),
                new SafetyGate(config.alignFrac()), config.seed());
        SafetyPrompts prompts = SafetyPrompts.read(Path.of(config.prompts()), config.promptRows(), config.limit());
        PromptFormat chat = PromptFormat.chat(ChatTemplate.forModel(Path.of(config.model())), model.id());
        log.printf("evaluating on %d harmful and %d benign held-out prompts; pruning blocks %s%n",
                prompts.harmful().size(), prompts.benign().size(), pruner.layers());

        List<String> columns = new ArrayList<>(List.of("Method", "Prune ratio", "Refusal rate (harmful)",
                "Refusal rate (benign)", "F1", "Accuracy", "FAR", "GFLOPs/token", "Probe FLOPs share", "Gate fired"));
        if (classifier != null) {
            columns.addAll(List.of("Classifier refusal (harmful)", "Classifier F1", "Classifier accuracy", "Classifier FAR"));
        }
        Table table = Table.withColumns(columns.toArray(String[]::new));
        ObjectNode dense = evaluate(config, model, pruner, null, 0, prompts, chat, classifier, run, resolved, log);
        table = table.withRow(row("dense", 0, dense, classifier != null).toArray());
        LinePlot phrases = new LinePlot("Refusal rate on harmful prompts vs compute (phrase matching)", "GFLOPs per token",
                "refusal rate (harmful)");
        LinePlot byClassifier = new LinePlot("Refusal rate on harmful prompts vs compute (refusal classifier)",
                "GFLOPs per token", "refusal rate (harmful)");
        for (PruningMethod method : config.methods()) {
            List<Double> xs = new ArrayList<>(List.of(dense.get("gflops_per_token").asDouble()));
            List<Double> ys = new ArrayList<>(List.of(dense.get("refusal_rate_harmful").asDouble()));
            List<Double> ysClassifier = new ArrayList<>();
            if (classifier != null) {
                ysClassifier.add(dense.get("classifier_refusal_rate_harmful").asDouble());
            }
            for (double ratio : config.pruneRatios()) {
                if (ratio == 0) {
                    continue;
                }
                ObjectNode m = evaluate(config, model, pruner, method, ratio, prompts, chat, classifier, run, resolved, log);
                table = table.withRow(row(method.configName(), ratio, m, classifier != null).toArray());
                xs.add(m.get("gflops_per_token").asDouble());
                ys.add(m.get("refusal_rate_harmful").asDouble());
                if (classifier != null) {
                    ysClassifier.add(m.get("classifier_refusal_rate_harmful").asDouble());
                }
            }
            phrases.series(method.configName(), xs, ys);
            if (classifier != null) {
                byClassifier.series(method.configName(), xs, ysClassifier);
            }
        }
        run.writeTable("aapp", table);
        run.writePlot("refusal_vs_gflops", phrases);
        if (classifier != null) {
            run.writePlot("classifier_refusal_vs_gflops", byClassifier);
        }
        log.println("report: " + run.writeReport("Alignment-aware probe pruning on " + model.id()));
        return table;
    }

    private static List<Object> row(String method, double ratio, ObjectNode m, boolean withClassifier) {
        List<Object> cells = new ArrayList<>(List.of(method, ratio, m.get("refusal_rate_harmful").asDouble(),
                m.get("refusal_rate_benign").asDouble(), m.get("f1").asDouble(), m.get("accuracy").asDouble(),
                m.get("false_acceptance_rate").asDouble(), m.get("gflops_per_token").asDouble(),
                m.get("probe_flops_share").asDouble(), m.has("gate_harmful_share") ? m.get("gate_harmful_share").asDouble() : "-"));
        if (withClassifier) {
            cells.addAll(List.of(m.get("classifier_refusal_rate_harmful").asDouble(), m.get("classifier_f1").asDouble(),
                    m.get("classifier_accuracy").asDouble(), m.get("classifier_false_acceptance_rate").asDouble()));
        }
        return cells;
    }

    private static ObjectNode evaluate(AappConfig config, FrozenTransformer model, ProbePruner pruner, PruningMethod method,
            double ratio, SafetyPrompts prompts, PromptFormat chat, RefusalClassifier classifier, RunDirectory study,
            String resolved, PrintStream log) {
        String name = AappTask.rowName(method, ratio);
        AappTask task = new AappTask(model, pruner, method, ratio, prompts.prompts(), chat, config, classifier, log);
        return EvalRun.run(task, config.batchSize(), RunDirectory.create(study.resolve("rows/" + name)),
                resolved + "row: " + name + "\n", name, log);
    }

    /** The store must describe these weights and prompts other than the ones evaluated. */
    static void requireCompatible(EnergyStore store, AappConfig config, FrozenTransformer model) {
        if (!store.modelFingerprint().equals(model.weightFingerprint())) {
            throw new ModelException(config.energies() + " was measured on other weights (" + store.modelFingerprint()
                    + ") than " + model.id() + " (" + model.weightFingerprint() + "): run `layerwise energies` on this model");
        }
        JsonNode histories = store.manifest().path("prompts");
        String content = DatasetFingerprint.of(List.of(Path.of(config.prompts())), new TreeMap<>()).value();
        PromptRows used = PromptRows.fromConfig(histories.path("rows").asText("all"));
        if (content.equals(histories.path("content").asText()) && used.overlaps(config.promptRows())) {
            throw new DatasetException("the evaluation prompts (" + config.prompts() + ", " + config.promptRows().configName()
                    + " rows) overlap the prompts the energy histories were measured on (" + used.configName()
                    + " rows of the same file): evaluate on held-out rows, e.g. prompt_rows: "
                    + (used == PromptRows.EVEN ? "odd" : "even"));
        }
    }
}
