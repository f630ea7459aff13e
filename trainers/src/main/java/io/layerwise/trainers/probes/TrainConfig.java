package io.layerwise.trainers.probes;

import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.datasets.extract.ExtractionConfig;
import io.layerwise.datasets.extract.LayerSelection;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.trainers.sanitize.SanitizeConfig;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The config of {@code layerwise train}: per-layer probes on an activation store, either an existing
 * one ({@code store}) or one the same run extracts first ({@code extract}, the keys of
 * {@code layerwise extract}; an existing complete store there is reused, a partial one resumed).
 *
 * <pre>
 * store: runs/quickstart/activations   # an extracted store, or instead:
 * extract: {model: all-minilm-l6-v2, dataset: {...}, output: runs/quickstart/activations}
 * tap: residual
 * layers: all                          # or an index, or a list of indices present in the store
 * probes: [mlp, logistic]
 * mlp: {hidden_size: 128, activation: relu, dropout: 0.1, l2: 1.0e-4, learning_rate: 1.0e-3,
 *       epochs: 60, batch_size: 64, patience: 8}
 * logistic: {solver: lbfgs, l2: 1.0e-3}
 * class_weighting: none                # or balanced
 * threshold: 0.5                       # or tuned (maximize F1 on validation)
 * seed: 42
 * output: runs/quickstart              # run directory (required)
 * sanitize: {top_n: [1, 5, 10]}         # optional: then the sweep of layerwise sanitize, into output/sanitize
 * </pre>
 *
 * @param store activation store directory (exclusive with {@code extract})
 * @param extract extraction to run first (exclusive with {@code store})
 * @param tap which tap's rows the probes read
 * @param layers which layers get probes
 * @param probes probe kinds, each trained on every layer
 * @param mlp MLP hyperparameters
 * @param logistic logistic-regression hyperparameters
 * @param classWeighting loss weights of the classes
 * @param threshold decision threshold rule
 * @param seed seed of initialization, dropout and shuffling
 * @param output run directory
 * @param sanitize a sanitization sweep to run on the trained probes afterwards ({@link SanitizeConfig}
 *     without {@code run} and {@code output}), or null
 */
public record TrainConfig(String store, ExtractionConfig extract, ActivationTap tap, LayerSelection layers,
        List<ProbeKind> probes, MlpSettings mlp, LogisticSettings logistic, ClassWeighting classWeighting,
        ThresholdRule threshold, Long seed, String output, SanitizeConfig sanitize) {

    public TrainConfig {
        if ((store == null || store.isBlank()) == (extract == null)) {
            throw new ConfigFieldException("store", "give exactly one of store (an extracted activation store) "
                    + "or extract (the keys of layerwise extract, run first)");
        }
        if (output == null || output.isBlank()) {
            throw new ConfigFieldException("output", "is required: the run directory");
        }
        tap = tap == null ? ActivationTap.RESIDUAL : tap;
        layers = layers == null ? LayerSelection.ALL : layers;
        probes = probes == null ? List.of(ProbeKind.MLP, ProbeKind.LOGISTIC) : probes;
        if (probes.isEmpty() || new LinkedHashSet<>(probes).size() != probes.size()) {
            throw new ConfigFieldException("probes", "must list mlp and/or logistic once each, got " + probes);
        }
        probes = List.copyOf(probes);
        mlp = mlp == null ? MlpSettings.DEFAULT : mlp;
        logistic = logistic == null ? LogisticSettings.DEFAULT : logistic;
        classWeighting = classWeighting == null ? ClassWeighting.NONE : classWeighting;
        threshold = threshold == null ? ThresholdRule.HALF : threshold;
        seed = seed == null ? 42L : seed;
    }

    /** The store the probes read: {@code store}, or where {@code extract} writes. */
    public String storeDirectory() {
        return extract != null ? extract.output() : store;
    }

    /** A trainer for one probe kind with this config's settings. */
    public ProbeTrainer trainer(ProbeKind kind) {
        return new ProbeTrainer(kind, mlp, logistic, classWeighting, threshold, seed);
    }
}
