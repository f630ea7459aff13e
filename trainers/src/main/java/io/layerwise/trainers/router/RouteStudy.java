package io.layerwise.trainers.router;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.layerwise.checkpoints.bundle.BundleKind;
import io.layerwise.checkpoints.bundle.ProbeCard;
import io.layerwise.checkpoints.bundle.TensorBundle;
import io.layerwise.checkpoints.run.LinePlot;
import io.layerwise.checkpoints.run.RunDirectory;
import io.layerwise.checkpoints.run.Table;
import io.layerwise.datasets.BadRowPolicy;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.MmluReader;
import io.layerwise.datasets.MultipleChoiceItem;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.store.ActivationStore;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.trainers.eval.MultipleChoiceTask;
import io.layerwise.trainers.eval.PromptFormat;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The {@code layerwise route} study: per-token activations of the chosen blocks are extracted from the
 * training texts ({@link RouteData}), a Mixture-of-Heads router is trained per block
 * ({@link RouterTrainer}), and the routers are plugged into the forward pass ({@link RouterGate}) and
 * compared, at the same number of heads per token, with static top-k heads (the most important heads
 * by {@link HeadImportance}, for every token) and random heads (a seeded random subset per block):
 * reconstruction error of each block's attention output on the validation tokens, relative error of
 * the final hidden state and next-token loss on the held-out texts, multiple-choice accuracy and macro
 * precision/recall/F1 on an MMLU-format file, and attention FLOPs per token ({@link AttentionFlops}).
 * Outputs: {@code routers/layer-N} bundles ({@link RouterBundle}), {@code tables/routers.*},
 * {@code tables/route.*}, {@code metrics.json}, plots and {@code report.html}.
 */
public final class RouteStudy {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String LAYERWISE_VERSION = "0.1.0";

    private RouteStudy() {}

    /** What a route run measured. */
    public record Outcome(List<HeadRouter> routers, Table routersTable, Table evaluation, ObjectNode metrics) {}

    public static Outcome run(RouteConfig config, FrozenTransformer model, PrintStream log) {
        TransformerSpec spec = model.spec();
        int heads = spec.numHeads();
        RouterSettings settings = config.settings(heads);
        if (settings.sharedHeads() >= heads || settings.topK() > heads - settings.sharedHeads()) {
            throw new DatasetException("shared_heads " + settings.sharedHeads() + " and top_k " + settings.topK()
                    + " do not fit the " + heads + " heads of " + model.id()
                    + ": shared_heads < heads and top_k <= heads - shared_heads");
        }
        List<Integer> layers = config.layers().resolve(spec.numLayers());
        for (int layer : layers) {
            if (layer < 0 || layer >= spec.numLayers()) {
                throw new DatasetException("layers: block " + layer + " does not exist; " + model.id() + " has blocks 0.."
                        + (spec.numLayers() - 1));
            }
        }
        RunDirectory run = RunDirectory.create(Path.of(config.output()));
        run.writeText("config.resolved.yaml", ConfigLoader.toYaml(config));
        RouteData data = RouteData.prepare(config, layers, run, log);
        ActivationStore store = data.store();
        int budget = settings.sharedHeads() + settings.topK();

        List<HeadRouter> routers = new ArrayList<>();
        Map<Integer, float[]> staticMasks = new LinkedHashMap<>();
        Map<Integer, float[]> randomMasks = new LinkedHashMap<>();
        Table routerTable = Table.withColumns("Layer", "Shared heads", "Routed heads", "Top k", "Final loss",
                "L_load", "Recon. error routed", "Recon. error static", "Recon. error random", "Train tokens/s");
        LinePlot curves = new LinePlot("Router training: reconstruction term per epoch", "epoch", "relative squared error");
        List<Double> routedErrors = new ArrayList<>();
        List<Double> staticErrors = new ArrayList<>();
        List<Double> randomErrors = new ArrayList<>();
        Random randomHeads = new Random(config.seed());
        double trainSeconds = 0;
        long trainTokens = 0;
        Map<String, Object> resolved = resolvedConfig(config);
        for (int layer : layers) {
            LayerData train = layerData(store, model, layer, Split.TRAIN);
            LayerData validation = layerData(store, model, layer, Split.VALIDATION);
            Path bundleDir = run.resolve("routers/layer-" + layer);
            RouterBundle saved = savedRouter(bundleDir, resolved, model);
            HeadRouter router;
            Map<String, Double> trainingFigures = new LinkedHashMap<>();
            if (saved != null) {
                log.printf("layer %d: reusing the router in %s (same config and model)%n", layer, bundleDir);
                router = saved.router();
                saved.card().metrics().forEach((k, v) -> {
                    if (k.startsWith("train")) {
                        trainingFigures.put(k, v);
                    }
                });
            } else {
                log.printf("layer %d: training a router on %d tokens (%d shared + top %d of %d routed heads)%n", layer,
                        train.tokens(), settings.sharedHeads(), settings.topK(), heads - settings.sharedHeads());
                RouterTrainer.Trained trained = new RouterTrainer(settings).train(train);
                router = trained.router();
                RouterTrainer.EpochStats last = trained.history().get(trained.history().size() - 1);
                trainingFigures.put("training_final_loss", last.loss());
                trainingFigures.put("training_final_load_balancing_loss", last.loadBalancing());
                trainingFigures.put("training_seconds", trained.trainSeconds());
                trainingFigures.put("training_tokens_seen", (double) trained.tokensSeen());
                curves.series("layer " + layer, trained.history().stream().map(RouterTrainer.EpochStats::epoch).toList(),
                        trained.history().stream().map(RouterTrainer.EpochStats::reconstruction).toList());
            }
            routers.add(router);
            trainSeconds += trainingFigures.get("training_seconds");
            trainTokens += trainingFigures.get("training_tokens_seen").longValue();
            float[] staticMask = mask(heads, HeadImportance.top(HeadImportance.of(train), budget));
            float[] randomMask = mask(heads, randomSubset(heads, budget, randomHeads));
            staticMasks.put(layer, staticMask);
            randomMasks.put(layer, randomMask);
            double routedError = Reconstruction.relativeError(validation, Reconstruction.routerGates(router, validation));
            double staticError = Reconstruction.relativeError(validation, Reconstruction.fixedGates(staticMask, validation.tokens()));
            double randomError = Reconstruction.relativeError(validation, Reconstruction.fixedGates(randomMask, validation.tokens()));
            routedErrors.add(routedError);
            staticErrors.add(staticError);
            randomErrors.add(randomError);
            routerTable = routerTable.withRow(layer, Arrays.toString(router.shared()), Arrays.toString(router.routed()),
                    router.topK(), trainingFigures.get("training_final_loss"),
                    trainingFigures.get("training_final_load_balancing_loss"), routedError, staticError, randomError,
                    trainingFigures.get("training_tokens_seen") / trainingFigures.get("training_seconds"));
            // JavaCPP frees a block's off-heap rows only after a collection; without one it grows to the heap size again
            System.gc();
            Map<String, Double> metrics = new LinkedHashMap<>(trainingFigures);
            metrics.put("validation_reconstruction_error_routed", routedError);
            metrics.put("validation_reconstruction_error_static", staticError);
            metrics.put("validation_reconstruction_error_random", randomError);
            new RouterBundle(card(config, model, store, router, metrics, resolved), router).write(bundleDir);
        }
        run.writeTable("routers", routerTable);
        run.writePlot("router_training", curves);
        List<Integer> xs = layers;
        run.writePlot("reconstruction_by_layer", new LinePlot("Validation reconstruction error of the attention output",
                "block", "relative error").series("routed", xs, routedErrors).series("static top-k", xs, staticErrors)
                .series("random heads", xs, randomErrors));

        Map<String, Interventions> variants = new LinkedHashMap<>();
        variants.put("Routed", Interventions.none().withHeadGate(new RouterGate(routers)));
        variants.put("Static top-k", withMasks(staticMasks));
        variants.put("Random heads", withMasks(randomMasks));
        log.printf("evaluating dense and %d variants on %d held-out texts%n", variants.size(), data.heldOut().size());
        Map<String, HeldOutComparison.Result> heldOut = HeldOutComparison.run(model, data.heldOut(), config.evalBatchSize(),
                variants);
        Map<String, ObjectNode> mmlu = new LinkedHashMap<>();
        if (config.mmlu() != null) {
            mmlu.put("dense", multipleChoice(config, model, Interventions.none(), log));
            variants.forEach((name, iv) -> mmlu.put(name, multipleChoice(config, model, iv, log)));
        }

        AttentionFlops flops = new AttentionFlops(spec);
        int length = (int) Math.round(data.heldOut().stream().mapToInt(s -> s.length).average().orElse(1));
        double dense = flops.perToken(flops.allHeads(), length, 0);
        int[] active = flops.allHeads();
        layers.forEach(l -> active[l] = budget);
        double routerCost = layers.size() * 2.0 * spec.hiddenSize() * ((heads - settings.sharedHeads())
                + (settings.twoWay() ? 2 : 0));
        Table evaluation = Table.withColumns("Model", "Heads per token", "Attention MFLOPs/token", "Attention FLOPs saved",
                "Final hidden rel. error", "Next-token loss", "Loss increase", "MMLU accuracy", "MMLU precision",
                "MMLU recall", "MMLU F1");
        ObjectNode metrics = JSON.createObjectNode();
        metrics.put("training_tokens", data.trainingTokens()).put("held_out_texts", data.heldOut().size())
                .put("router_training_tokens_per_second", trainTokens / trainSeconds).put("mean_held_out_length", length);
        double denseLoss = heldOut.get("dense").nextTokenLoss();
        for (Map.Entry<String, HeldOutComparison.Result> e : heldOut.entrySet()) {
            String name = e.getKey().equals("dense") ? "Dense" : e.getKey();
            boolean isDense = e.getKey().equals("dense");
            double cost = isDense ? dense : flops.perToken(active, length, e.getKey().equals("Routed") ? routerCost : 0);
            ObjectNode mc = mmlu.get(e.getKey());
            evaluation = evaluation.withRow(name, isDense ? heads : budget, cost / 1e6, 1 - cost / dense,
                    e.getValue().hiddenRelativeError(), e.getValue().nextTokenLoss(), e.getValue().nextTokenLoss() - denseLoss,
                    mc == null ? "-" : mc.get("accuracy").asDouble(), mc == null ? "-" : mc.get("precision").asDouble(),
                    mc == null ? "-" : mc.get("recall").asDouble(), mc == null ? "-" : mc.get("f1").asDouble());
            ObjectNode m = metrics.putObject(e.getKey().toLowerCase(java.util.Locale.ROOT).replace(' ', '_').replace("-", ""));
            m.put("attention_flops_per_token", cost).put("attention_flops_saved", 1 - cost / dense)
                    .put("final_hidden_relative_error", e.getValue().hiddenRelativeError())
                    .put("next_token_loss", e.getValue().nextTokenLoss());
            if (mc != null) {
                m.set("mmlu", mc);
            }
        }
        run.writeTable("route", evaluation);
        run.writeJson("metrics.json", metrics);
        log.println("report: " + run.writeReport("Mixture-of-Heads routers on " + model.id()));
        return new Outcome(routers, routerTable, evaluation, metrics);
    }

    /** One block's rows of one split, with the block's output projection. */
    static LayerData layerData(ActivationStore store, FrozenTransformer model, int layer, Split split) {
        INDArray inputs = store.rows(ActivationTap.ATTENTION_INPUT, layer, split);
        INDArray heads = store.rows(ActivationTap.HEADS, layer, split);
        INDArray wo = Nd4j.create(model.attentionOutputWeight(layer),
                new long[] {model.spec().hiddenSize(), model.spec().attentionWidth()}, 'c');
        return new LayerData(layer, inputs, heads, wo, model.spec().numHeads());
    }

    private static ObjectNode multipleChoice(RouteConfig config, FrozenTransformer model, Interventions interventions,
            PrintStream log) {
        List<MultipleChoiceItem> items = new MmluReader(List.of(Path.of(config.mmlu())), BadRowPolicy.FAIL).read().items();
        if (config.mmluLimit() > 0 && config.mmluLimit() < items.size()) {
            items = items.subList(0, config.mmluLimit());
        }
        MultipleChoiceTask task = new MultipleChoiceTask(model, interventions, items, List.of(), "general knowledge",
                PromptFormat.plain());
        List<ObjectNode> predictions = new ArrayList<>();
        for (int from = 0; from < items.size(); from += config.evalBatchSize()) {
            predictions.addAll(task.evaluate(IntStream.range(from, Math.min(items.size(), from + config.evalBatchSize()))
                    .boxed().toList()));
        }
        return task.metrics(predictions);
    }

    private static Interventions withMasks(Map<Integer, float[]> masks) {
        Interventions iv = Interventions.none();
        for (Map.Entry<Integer, float[]> e : masks.entrySet()) {
            iv = iv.withHeadMask(e.getKey(), e.getValue());
        }
        return iv;
    }

    private static float[] mask(int heads, int[] kept) {
        float[] mask = new float[heads];
        for (int h : kept) {
            mask[h] = 1f;
        }
        return mask;
    }

    private static int[] randomSubset(int heads, int count, Random random) {
        List<Integer> order = new ArrayList<>(IntStream.range(0, heads).boxed().toList());
        java.util.Collections.shuffle(order, random);
        return order.subList(0, count).stream().mapToInt(Integer::intValue).sorted().toArray();
    }

    /**
     * The router a previous run of the same config on the same weights left in {@code dir}, or null: a
     * rerun after an interruption trains only the blocks it has no router for.
     */
    private static RouterBundle savedRouter(Path dir, Map<String, Object> resolved, FrozenTransformer model) {
        if (!Files.isRegularFile(dir.resolve(TensorBundle.CARD_FILE))) {
            return null;
        }
        RouterBundle saved = RouterBundle.read(dir);
        boolean same = saved.card().trainingConfig().equals(resolved)
                && saved.card().baseModel().weightFingerprint().equals(model.weightFingerprint())
                && saved.card().metrics().containsKey("training_seconds");
        return same ? saved : null;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> resolvedConfig(RouteConfig config) {
        try {
            return new YAMLMapper().readValue(ConfigLoader.toYaml(config), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RouterCard card(RouteConfig config, FrozenTransformer model, ActivationStore store, HeadRouter router,
            Map<String, Double> metrics, Map<String, Object> resolved) {
        return new RouterCard(TensorBundle.FORMAT, BundleKind.ROUTER, new ProbeCard.BaseModel(model.id(),
                model.weightFingerprint(), model.spec().modelType(), model.precision().label()), router.layer(),
                ActivationTap.ATTENTION_INPUT.configName(), router.heads(), router.shared(), router.routed(), router.topK(),
                router.weighting(), router.mixWeight() != null, RouterCard.OUTPUT, metrics, resolved,
                store.manifest().dataset().fingerprint(), config.seed(), Instant.now().toString(), LAYERWISE_VERSION);
    }
}
