package io.layerwise.trainers.pruning;

import io.layerwise.checkpoints.bundle.ProbeBundle;
import io.layerwise.checkpoints.bundle.ProbeCard;
import io.layerwise.datasets.BadRowPolicy;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.DatasetFingerprint;
import io.layerwise.datasets.DatasetSplit;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.LabelledTextReader;
import io.layerwise.datasets.LabelledTextSpec;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.SplitFractions;
import io.layerwise.datasets.StratifiedSplitter;
import io.layerwise.datasets.TextFileFormat;
import io.layerwise.datasets.extract.Pooling;
import io.layerwise.datasets.extract.PooledForward;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.models.ModelException;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.trainers.probes.ClassWeighting;
import io.layerwise.trainers.probes.LayerRows;
import io.layerwise.trainers.probes.LogisticSettings;
import io.layerwise.trainers.probes.MlpSettings;
import io.layerwise.trainers.probes.ProbeArtifacts;
import io.layerwise.trainers.probes.ProbeTrainer;
import io.layerwise.trainers.probes.ThresholdRule;
import io.layerwise.trainers.probes.TrainedProbe;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A refusal classifier trained with Layerwise's own probes ({@link ProbeTrainer}) on the model's
 * mean-pooled residual stream over labelled responses, kept as a {@link ProbeBundle} (the one place
 * probe probabilities are computed) and applied to generated answers the same way: tokenized as plain
 * text, run through the dense model, pooled, thresholded.
 *
 * <pre>{@code
 * RefusalClassifier classifier = RefusalClassifier.train(model, config, System.err);
 * boolean[] refused = classifier.refused(List.of("I'm sorry, I can't help with that."));
 * }</pre>
 */
public final class RefusalClassifier {
    private static final SplitFractions SPLIT = new SplitFractions(0.6, 0.2, 0.2);
    private static final int BATCH = 16;

    private final FrozenTransformer model;
    private final ProbeBundle bundle;

    private RefusalClassifier(FrozenTransformer model, ProbeBundle bundle) {
        this.model = model;
        this.bundle = bundle;
    }

    public ProbeBundle bundle() {
        return bundle;
    }

    /** Trains on {@code config.texts()} and keeps the probe of the chosen (or best-validation-F1) layer. */
    public static RefusalClassifier train(FrozenTransformer model, RefusalClassifierConfig config, PrintStream log) {
        Path file = Path.of(config.texts());
        LabelledTextSpec spec = LabelledTextSpec.of(TextFileFormat.of(file), "text", "label");
        List<Example> examples = new LabelledTextReader(file, spec, BadRowPolicy.FAIL).read().items().stream()
                .filter(Example::isLabelled).toList();
        if (examples.stream().anyMatch(e -> e.label() > 1)) {
            throw new DatasetException(file + ": refusal labels must be 1 (refusal) or 0 (compliance)");
        }
        DatasetSplit<Example> split = new StratifiedSplitter(SPLIT, config.seed()).split(examples, Example::label);
        int layers = model.spec().numLayers();
        if (config.layer() != null && config.layer() > layers) {
            throw new ModelException("classifier.layer " + config.layer() + " is past the model's " + layers + " blocks");
        }
        List<Integer> candidates = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            if (config.layer() == null || config.layer() == l) {
                candidates.add(l);
            }
        }
        Map<Split, float[][][]> pooled = new TreeMap<>();
        Map<Split, long[]> labels = new TreeMap<>();
        for (Split s : List.of(Split.TRAIN, Split.VALIDATION, Split.TEST)) {
            List<Example> part = split.itemsIn(s);
            pooled.put(s, pool(model, part.stream().map(Example::text).toList(), candidates, config.maxLength()));
            labels.put(s, part.stream().mapToLong(Example::label).toArray());
        }
        ProbeTrainer trainer = new ProbeTrainer(config.kind(), MlpSettings.DEFAULT, LogisticSettings.DEFAULT,
                ClassWeighting.BALANCED, ThresholdRule.HALF, config.seed());
        TrainedProbe best = null;
        for (int i = 0; i < candidates.size(); i++) {
            LayerRows rows = new LayerRows(labelled(pooled.get(Split.TRAIN)[i], labels.get(Split.TRAIN)),
                    labelled(pooled.get(Split.VALIDATION)[i], labels.get(Split.VALIDATION)),
                    labelled(pooled.get(Split.TEST)[i], labels.get(Split.TEST)));
            TrainedProbe probe = trainer.train(candidates.get(i), rows, epoch -> {});
            if (best == null || probe.validation().f1() > best.validation().f1()) {
                best = probe;
            }
        }
        log.printf(Locale.ROOT, "refusal classifier: %s probe on residual %d, validation F1 %.3f, test F1 %.3f%n",
                config.kind().configName(), best.layer(), best.validation().f1(), best.test().f1());
        String fingerprint = DatasetFingerprint.of(List.of(file), new TreeMap<>(Map.of("reader", "text,label"))).value();
        ProbeArtifacts artifacts = new ProbeArtifacts(new ProbeCard.BaseModel(model.id(), model.weightFingerprint(),
                model.spec().modelType(), model.precision().label()), ActivationTap.RESIDUAL, Pooling.MEAN.configName(),
                config.maxLength(), "left", fingerprint, config.seed(), Map.of("texts", config.texts(),
                "kind", config.kind().configName(), "split", "0.6/0.2/0.2 stratified"));
        return new RefusalClassifier(model, artifacts.bundle(best));
    }

    /** Whether each response is a refusal by the probe. */
    public boolean[] refused(List<String> responses) {
        float[][][] rows = pool(model, responses, List.of(bundle.card().layer()), bundle.card().maxLength());
        return bundle.predictions(rows[0]);
    }

    /** {@code [layer][text][H]}: the mean-pooled residual of every text at every layer. */
    private static float[][][] pool(FrozenTransformer model, List<String> texts, List<Integer> layers, int maxLength) {
        List<long[]> ids = new ArrayList<>();
        for (String text : texts) {
            long[] encoded = model.requireTokenizer().encode(text, maxLength);
            // an empty answer (the model stopped at once) is read as the padding token alone
            ids.add(encoded.length == 0 ? new long[] {model.spec().padTokenId()} : encoded);
        }
        List<PooledForward.Target> targets = layers.stream().map(l -> new PooledForward.Target(ActivationTap.RESIDUAL, l))
                .toList();
        float[][][] out = new float[layers.size()][texts.size()][];
        try {
            new PooledForward(model, targets, Taps.of(TapKind.RESIDUAL).onLayers(new TreeSet<>(layers)), Pooling.MEAN,
                    PaddingSide.LEFT, BATCH, Interventions.none()).run(ids, (t, s, v) -> out[t][s] = v);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static LayerRows.Labelled labelled(float[][] rows, long[] labels) {
        return new LayerRows.Labelled(Nd4j.create(rows), labels);
    }
}
