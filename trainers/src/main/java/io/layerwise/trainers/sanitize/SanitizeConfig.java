package io.layerwise.trainers.sanitize;

import io.layerwise.datasets.config.ConfigDefaults;
import io.layerwise.datasets.config.ConfigFieldException;
import io.layerwise.trainers.probes.ProbeKind;
import java.util.List;

/**
 * The config of {@code layerwise sanitize}: from a finished {@code layerwise train} run, rank layers by
 * probe F1, ablate each layer's direction at the top-n layers inside the forward pass
 * ({@code h <- h - alpha (h.v) v}, Eq. 3) and score the re-extracted readout layer with the readout
 * probe trained on clean activations.
 *
 * <pre>
 * run: runs/quickstart                   # a train run directory (required, except inside a train config)
 * readout_layer: 6                       # default: the deepest layer the run probed
 * readout_probe: mlp                     # mlp or logistic, trained on clean activations
 * rank_by: mlp                           # which probe kind's test F1 ranks layers (default: readout_probe)
 * directions: [mean_difference, logistic]
 * top_n: [1, 5, 10]                      # counts above the number of probed layers are capped to it
 * alphas: [0, 0.01, 0.05, 0.1, 0.5, 1]
 * batch_size: 32
 * output: runs/quickstart/sanitize       # run directory (required, except inside a train config)
 * </pre>
 *
 * <p>The same block without {@code run} and {@code output} may sit under {@code sanitize:} in a train
 * config; the sweep then runs on that train run right after training, into {@code <output>/sanitize}.
 *
 * @param run the train run directory
 * @param readoutLayer the layer the readout probe reads, or null for the deepest probed layer
 * @param readoutProbe the probe kind that scores the sanitized activations
 * @param rankBy the probe kind whose test F1 ranks layers
 * @param directions direction methods to sweep
 * @param topN how many of the best layers get the ablation
 * @param alphas ablation strengths
 * @param batchSize texts per forward pass
 * @param output run directory of the sweep
 */
public record SanitizeConfig(String run, Integer readoutLayer, ProbeKind readoutProbe, ProbeKind rankBy,
        List<DirectionMethod> directions, List<Integer> topN, List<Double> alphas, Integer batchSize, String output) {

    public SanitizeConfig {
        if (readoutLayer != null && readoutLayer < 0) {
            throw new ConfigFieldException("readout_layer", "must be a layer index >= 0, got " + readoutLayer);
        }
        readoutProbe = readoutProbe == null ? ProbeKind.MLP : readoutProbe;
        rankBy = rankBy == null ? readoutProbe : rankBy;
        directions = directions == null ? List.of(DirectionMethod.MEAN_DIFFERENCE, DirectionMethod.LOGISTIC) : List.copyOf(directions);
        if (directions.isEmpty()) {
            throw new ConfigFieldException("directions", "must list mean_difference and/or logistic");
        }
        topN = topN == null ? List.of(1, 5, 10) : List.copyOf(topN);
        if (topN.isEmpty() || topN.stream().anyMatch(n -> n == null || n < 1)) {
            throw new ConfigFieldException("top_n", "must list layer counts >= 1, got " + topN);
        }
        alphas = alphas == null ? List.of(0.0, 0.01, 0.05, 0.1, 0.5, 1.0) : List.copyOf(alphas);
        if (alphas.isEmpty() || alphas.stream().anyMatch(a -> a == null || !(a >= 0) || a.isInfinite())) {
            throw new ConfigFieldException("alphas", "must list finite strengths >= 0, got " + alphas);
        }
        batchSize = ConfigDefaults.positive("batch_size", batchSize, 32);
    }

    /** This sweep on the train run at {@code trainRun}, written to {@code trainRun/sanitize} unless an output is set. */
    public SanitizeConfig onRun(String trainRun) {
        return new SanitizeConfig(trainRun, readoutLayer, readoutProbe, rankBy, directions, topN, alphas, batchSize,
                output != null ? output : trainRun + "/sanitize");
    }
}
