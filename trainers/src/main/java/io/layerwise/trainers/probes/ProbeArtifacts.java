package io.layerwise.trainers.probes;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.layerwise.checkpoints.bundle.BundleKind;
import io.layerwise.checkpoints.bundle.DirectionBundle;
import io.layerwise.checkpoints.bundle.ProbeActivation;
import io.layerwise.checkpoints.bundle.ProbeBundle;
import io.layerwise.checkpoints.bundle.ProbeCard;
import io.layerwise.checkpoints.bundle.RunBundleKind;
import io.layerwise.checkpoints.bundle.TensorBundle;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.datasets.store.StoreManifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns trained probes and directions into bundles ({@code safetensors} + {@code card.json}) at the
 * places {@link RunBundleKind} defines, with everything a later command needs to apply them to the
 * same activations: the base model and its weight fingerprint, tap, layer, pooling, tokenization, the
 * standardization and threshold, metrics, the resolved training config, data set fingerprint and seed.
 *
 * @param baseModel the model the store was extracted from
 * @param tap the tap the rows came from
 * @param pooling pooling of the store
 * @param maxLength tokens kept per text in the store
 * @param paddingSide padding side of the store
 * @param datasetFingerprint the store's data set fingerprint
 * @param seed training seed
 * @param trainingConfig the resolved train config
 */
public record ProbeArtifacts(ProbeCard.BaseModel baseModel, ActivationTap tap, String pooling, int maxLength,
        String paddingSide, String datasetFingerprint, long seed, Map<String, Object> trainingConfig) {

    /** Version recorded in every card. */
    public static final String LAYERWISE_VERSION = "0.1.0";

    /** The provenance of probes trained with {@code config} on the store {@code manifest} describes. */
    @SuppressWarnings("unchecked")
    public static ProbeArtifacts of(TrainConfig config, StoreManifest manifest) {
        StoreManifest.ModelInfo model = manifest.model();
        Map<String, Object> resolved;
        try {
            resolved = new YAMLMapper().readValue(ConfigLoader.toYaml(config), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new ProbeArtifacts(new ProbeCard.BaseModel(model.id(), model.weightFingerprint(), model.modelType(),
                model.precision()), config.tap(), manifest.pooling(), manifest.maxLength(), manifest.paddingSide(),
                manifest.dataset().fingerprint(), config.seed(), resolved);
    }

    /** The probe as a bundle. */
    public ProbeBundle bundle(TrainedProbe probe) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        put(metrics, "test", probe.test());
        put(metrics, "validation", probe.validation());
        metrics.put("best_epoch", (double) probe.bestEpoch());
        BundleKind kind = probe.kind() == ProbeKind.MLP ? BundleKind.MLP : BundleKind.LOGISTIC;
        ProbeCard card = new ProbeCard(TensorBundle.FORMAT, kind, baseModel, probe.layer(), tap.configName(), pooling,
                maxLength, paddingSide, probe.standardizer().mean().length,
                kind == BundleKind.MLP ? ProbeActivation.fromCard(probe.activation()) : null, ProbeCard.OUTPUT_PROBABILITY,
                new ProbeCard.Standardization(probe.standardizer().mean(), probe.standardizer().std()),
                new ProbeCard.Threshold(probe.threshold(), probe.thresholdChosenBy()), null, metrics, trainingConfig,
                datasetFingerprint, seed, Instant.now().toString(), LAYERWISE_VERSION);
        return new ProbeBundle(card, probe.layers());
    }

    /**
     * One direction of one layer as a bundle; {@code method} is {@code mean_difference} or {@code logistic};
     * {@code metrics} are the layer's probe figures that rank directions ({@code test_f1} for
     * {@code export --layer best}).
     */
    public DirectionBundle direction(int layer, String method, float[] direction, Map<String, Double> metrics) {
        ProbeCard card = new ProbeCard(TensorBundle.FORMAT, BundleKind.DIRECTION, baseModel, layer, tap.configName(),
                pooling, maxLength, paddingSide, direction.length, null, null, null, null, method, metrics,
                trainingConfig, datasetFingerprint, seed, Instant.now().toString(), LAYERWISE_VERSION);
        return new DirectionBundle(card, direction);
    }

    /**
     * Writes every probe and direction of a run under {@code run}. A direction card carries the test
     * metrics of its layer's logistic probe (the MLP's when no logistic probe was trained).
     */
    void writeAll(Path run, List<TrainedProbe> probes, Iterable<LayerDirections> directions) {
        Map<Integer, Map<String, Double>> ranking = new LinkedHashMap<>();
        for (TrainedProbe probe : probes) {
            ProbeBundle bundle = bundle(probe);
            bundle.write(probe.kind().bundles().directory(run, probe.layer()));
            if (probe.kind() == ProbeKind.LOGISTIC || !ranking.containsKey(probe.layer())) {
                Map<String, Double> test = new LinkedHashMap<>();
                put(test, "test", probe.test());
                ranking.put(probe.layer(), test);
            }
        }
        for (LayerDirections d : directions) {
            Map<String, Double> metrics = ranking.getOrDefault(d.layer(), Map.of());
            direction(d.layer(), "mean_difference", d.meanDifference(), metrics)
                    .write(RunBundleKind.MEAN_DIFFERENCE.directory(run, d.layer()));
            if (d.logistic() != null) {
                direction(d.layer(), "logistic", d.logistic(), metrics)
                        .write(RunBundleKind.LOGISTIC_DIRECTION.directory(run, d.layer()));
            }
        }
    }

    private static void put(Map<String, Double> metrics, String split, BinaryMetrics m) {
        metrics.put(split + "_f1", m.f1());
        metrics.put(split + "_accuracy", m.accuracy());
        metrics.put(split + "_precision", m.precision());
        metrics.put(split + "_recall", m.recall());
        metrics.put(split + "_tpr", m.tpr());
        metrics.put(split + "_fpr", m.fpr());
        if (!Double.isNaN(m.auroc())) {
            metrics.put(split + "_auroc", m.auroc());
        }
    }
}
