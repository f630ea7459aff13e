package io.layerwise.models.runtime;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which tensors a forward pass keeps: a set of {@link TapKind}s, optionally restricted to some
 * layers. Only what is asked for is kept, and blocks after the last one any tap needs are not run.
 *
 * <pre>{@code
 * Taps taps = Taps.of(TapKind.RESIDUAL, TapKind.HEAD_OUTPUTS).onLayers(3, 4);
 * }</pre>
 *
 * @param kinds the kinds to capture
 * @param layers layer indices to capture (see {@link TapKind} for the indexing); empty means all
 */
public record Taps(Set<TapKind> kinds, Set<Integer> layers) {

    public Taps {
        kinds = kinds.isEmpty() ? Collections.unmodifiableSet(EnumSet.noneOf(TapKind.class))
                : Collections.unmodifiableSet(EnumSet.copyOf(kinds));
        layers = Collections.unmodifiableSet(new TreeSet<>(layers));
    }

    public static Taps of(TapKind... kinds) {
        Set<TapKind> set = EnumSet.noneOf(TapKind.class);
        Collections.addAll(set, kinds);
        return new Taps(set, Set.of());
    }

    /** Every kind on every layer. */
    public static Taps everything() {
        return new Taps(EnumSet.allOf(TapKind.class), Set.of());
    }

    public Taps onLayers(int... indices) {
        Set<Integer> set = new TreeSet<>();
        for (int i : indices) {
            set.add(i);
        }
        return new Taps(kinds, set);
    }

    public Taps onLayers(Set<Integer> indices) {
        return new Taps(kinds, indices);
    }

    public boolean wants(TapKind kind, int layer) {
        return kinds.contains(kind) && (layers.isEmpty() || layers.contains(layer));
    }

    public boolean wants(TapKind kind) {
        return kinds.contains(kind);
    }

    /**
     * Number of blocks that must run for these taps on a model of {@code numLayers} blocks: all of
     * them for logits or unrestricted taps, otherwise up to the deepest requested layer.
     */
    int blocksNeeded(int numLayers) {
        if (kinds.contains(TapKind.LOGITS) || kinds.contains(TapKind.NEXT_TOKEN_LOGITS) || layers.isEmpty()) {
            return numLayers;
        }
        int needed = 0;
        for (int layer : layers) {
            for (TapKind kind : kinds) {
                needed = Math.max(needed, kind == TapKind.RESIDUAL ? layer : layer + 1);
            }
        }
        return Math.min(needed, numLayers);
    }
}
