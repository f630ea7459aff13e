package io.layerwise.trainers.pruning;

import io.layerwise.models.ModelException;
import java.util.ArrayList;
import java.util.List;

/**
 * The blocks alignment-aware probe pruning may prune: all but the first {@code excludeFirst} and the
 * last {@code excludeLast}. Probe Pruning and the seed leave the first 6 and last 3 blocks of large
 * models dense; {@link #defaults(int)} does so for models of at least 24 blocks and excludes nothing
 * below that (an 8-block test model would otherwise lose more than the whole network's share).
 *
 * @param excludeFirst leading blocks left dense
 * @param excludeLast trailing blocks left dense
 */
public record PrunableLayers(int excludeFirst, int excludeLast) {
    /** Models with at least this many blocks get the seed's 6 / 3 exclusion by default. */
    public static final int LARGE_MODEL_LAYERS = 24;

    public PrunableLayers {
        if (excludeFirst < 0 || excludeLast < 0) {
            throw new IllegalArgumentException("excluded layer counts must be >= 0");
        }
    }

    /** 6 first / 3 last for models of at least 24 blocks, 0 / 0 for smaller ones. */
    public static PrunableLayers defaults(int numLayers) {
        return numLayers >= LARGE_MODEL_LAYERS ? new PrunableLayers(6, 3) : new PrunableLayers(0, 0);
    }

    /** The configured counts, each falling back to its default when null. */
    public static PrunableLayers of(Integer excludeFirst, Integer excludeLast, int numLayers) {
        PrunableLayers d = defaults(numLayers);
        return new PrunableLayers(excludeFirst == null ? d.excludeFirst() : excludeFirst,
                excludeLast == null ? d.excludeLast() : excludeLast);
    }

    /** The prunable block indices of a model with {@code numLayers} blocks; at least one. */
    public List<Integer> layers(int numLayers) {
        if (excludeFirst + excludeLast >= numLayers) {
            throw new ModelException("excluding the first " + excludeFirst + " and last " + excludeLast + " of "
                    + numLayers + " blocks leaves none to prune: lower exclude_first / exclude_last");
        }
        List<Integer> out = new ArrayList<>();
        for (int l = excludeFirst; l < numLayers - excludeLast; l++) {
            out.add(l);
        }
        return out;
    }
}
