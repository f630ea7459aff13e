package io.layerwise.trainers.directions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.checkpoints.run.LinePlot;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.checkpoints.run.Table;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.models.ModelException;
import io.layerwise.models.runtime.DirectionAblation;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.tokenizer.ChatTemplate;
import io.layerwise.models.weights.SafetensorsWriter;
import io.layerwise.trainers.eval.EvalRun;
import io.layerwise.trainers.eval.EvalTasks;
import io.layerwise.trainers.eval.PromptFormat;
import io.layerwise.trainers.eval.RefusalTask;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The refusal-direction study: difference-of-means directions of harmful vs benign prompts (last
 * prompt token, every residual index) fitted on the even-numbered prompts, layers ranked by how well
 * their direction separates the classes, then the direction ablated inside the forward pass at the
 * top-n layers ({@code h <- h - alpha (h.v) v}, each layer its own v) for every strength, and refusal
 * rates measured by greedy generation on the odd-numbered prompts, which the directions never saw.
 * Outputs: {@code directions.safetensors} ({@code [L+1, H]}), {@code tables/layers.*} (separation per
 * layer), {@code tables/refusal_direction.*} (one row per (n, alpha) plus the baseline), plots and the
 * report. Whatever the model does under ablation is reported as measured.
 */
public final class RefusalDirectionStudy {
    private static final String STOPS_IM_END = "<|im_end|>";

    private RefusalDirectionStudy() {}

    public static Table run(RefusalDirectionConfig config, FrozenTransformer model, PrintStream log) {
        RunDirectory run = RunDirectory.create(Path.of(config.output()));
        run.writeText("config.resolved.yaml", ConfigLoader.toYaml(config));
        PromptFormat chat = PromptFormat.chat(ChatTemplate.forModel(Path.of(config.model())), model.id());
        List<RefusalTask.Prompt> all = EvalTasks.refusalPrompts(Path.of(config.prompts()));
        List<long[]> harmful = new ArrayList<>();
        List<long[]> benign = new ArrayList<>();
        List<RefusalTask.Prompt> heldOut = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            RefusalTask.Prompt p = all.get(i);
            if (i % 2 == 1) {
                heldOut.add(p);
            } else if (p.group().contains("harmful")) {
                harmful.add(model.requireTokenizer().encode(chat.apply(p.text()), 0));
            } else if (p.group().contains("benign")) {
                benign.add(model.requireTokenizer().encode(chat.apply(p.text()), 0));
            }
        }
        if (harmful.isEmpty() || benign.isEmpty()) {
            throw new ModelException(config.prompts() + " needs harmful and benign prompts (data_type *_harmful and "
                    + "*_benign) to fit a direction");
        }
        if (config.limit() > 0 && config.limit() < heldOut.size()) {
            heldOut = heldOut.subList(0, config.limit());
        }
        log.printf("fitting directions on %d harmful and %d benign prompts%n", harmful.size(), benign.size());
        MeanDifferenceDirections directions = MeanDifferenceDirections.fit(model, harmful, benign, config.batchSize());
        writeDirections(run, directions, model.id());
        List<Integer> ranked = directions.rankedLayers();
        Table layers = Table.withColumns("Layer", "Separation (Cohen's d)", "Rank");
        for (int l = 1; l < directions.separation().length; l++) {
            layers = layers.withRow(l, directions.separation()[l], ranked.indexOf(l) + 1);
        }
        run.writeTable("layers", layers);

        Table table = Table.withColumns("Layers ablated", "Alpha", "Layers", "Refusal harmful", "Refusal benign");
        ObjectNode baseline = evaluate(config, model, Interventions.none(), heldOut, chat, run, "baseline", log);
        table = table.withRow(0, 0.0, "-", rate(baseline, "harmful"), rate(baseline, "benign"));
        List<List<Double>> harmfulByN = new ArrayList<>();
        for (int n : config.topN()) {
            List<Integer> chosen = ranked.subList(0, Math.min(n, ranked.size()));
            List<Double> rates = new ArrayList<>();
            for (double alpha : config.alphas()) {
                Interventions ablation = Interventions.none();
                for (int layer : chosen) {
                    ablation = ablation.withAblation(new DirectionAblation(Set.of(layer), directions.directions()[layer],
                            (float) alpha));
                }
                ObjectNode m = evaluate(config, model, ablation, heldOut, chat, run, "n" + n + "-alpha" + alpha, log);
                table = table.withRow(n, alpha, chosen.toString().replace(",", ""), rate(m, "harmful"), rate(m, "benign"));
                rates.add(rate(m, "harmful"));
            }
            harmfulByN.add(rates);
        }
        run.writeTable("refusal_direction", table);
        LinePlot plot = new LinePlot("Refusal rate on held-out harmful prompts vs ablation strength", "alpha",
                "refusal rate (harmful)");
        // every curve starts from the unablated model at alpha 0
        List<Double> xs = new ArrayList<>(List.of(0.0));
        xs.addAll(config.alphas());
        for (int i = 0; i < config.topN().size(); i++) {
            List<Double> ys = new ArrayList<>(List.of(rate(baseline, "harmful")));
            ys.addAll(harmfulByN.get(i));
            plot.series("top " + config.topN().get(i) + " layers", xs, ys);
        }
        run.writePlot("refusal_harmful_vs_alpha", plot);
        log.println("report: " + run.writeReport("Refusal direction ablation on " + model.id()));
        return table;
    }

    private static ObjectNode evaluate(RefusalDirectionConfig config, FrozenTransformer model, Interventions interventions,
            List<RefusalTask.Prompt> prompts, PromptFormat chat, RunDirectory study, String name, PrintStream log) {
        RefusalTask task = new RefusalTask(model, interventions, prompts, chat, config.maxNewTokens(),
                List.of("<|endoftext|>", STOPS_IM_END), RefusalTask.DEFAULT_PHRASES);
        return EvalRun.run(task, config.batchSize(), RunDirectory.create(study.resolve("rows/" + name)),
                ConfigLoader.toYaml(config) + "row: " + name + "\n", name, log);
    }

    /** Mean refusal rate over the groups whose name contains {@code kind}. */
    private static double rate(ObjectNode metrics, String kind) {
        double sum = 0;
        int groups = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = metrics.get("refusal_rate_by_group").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> group = it.next();
            if (group.getKey().contains(kind)) {
                sum += group.getValue().asDouble();
                groups++;
            }
        }
        return groups == 0 ? Double.NaN : sum / groups;
    }

    private static void writeDirections(RunDirectory run, MeanDifferenceDirections directions, String modelId) {
        float[][] v = directions.directions();
        float[] flat = new float[v.length * v[0].length];
        for (int l = 0; l < v.length; l++) {
            System.arraycopy(v[l], 0, flat, l * v[0].length, v[0].length);
        }
        new SafetensorsWriter().putFloat32("directions", new long[] {v.length, v[0].length}, flat)
                .metadata("model", modelId).metadata("kind", "difference of means, harmful minus benign, last prompt token")
                .write(run.resolve("directions.safetensors"));
    }
}
