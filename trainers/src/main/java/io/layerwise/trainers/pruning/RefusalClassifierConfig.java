package io.layerwise.trainers.pruning;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.trainers.probes.ProbeKind;

/**
 * How {@code layerwise aapp} trains its refusal classifier: a Layerwise probe on the mean-pooled
 * residual stream of the model itself over labelled responses ({@code text,label}: 1 refusal, 0
 * compliance), split 60/20/20 (stratified, seeded), early-stopped on validation; the layer is the one
 * with the best validation F1 unless fixed.
 *
 * <pre>
 * classifier:
 *   texts: data/testbed/refusal-dev.csv   # labelled responses, CSV/TSV/JSONL text,label (required)
 *   kind: logistic                        # logistic | mlp
 *   layer: null                           # residual index 1..L (null: best validation F1)
 *   max_length: 128
 *   seed: 0
 * </pre>
 */
public record RefusalClassifierConfig(String texts, ProbeKind kind, Integer layer, Integer maxLength, Long seed) {

    public RefusalClassifierConfig {
        EnergiesConfig.requireFile("classifier.texts", texts);
        kind = kind == null ? ProbeKind.LOGISTIC : kind;
        if (layer != null && layer < 1) {
            throw new ConfigFieldException("classifier.layer", "must be a residual index >= 1, got " + layer);
        }
        maxLength = ConfigDefaults.positive("classifier.max_length", maxLength, 128);
        seed = seed == null ? 0L : seed;
    }
}
