package io.layerwise.models.runtime;

import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * Projects a direction out of the residual stream, {@code h <- h - alpha (h . v) v} with {@code v}
 * unit-normalized here, at the given residual indices (the {@code hidden_states} indexing of
 * {@link TapKind#RESIDUAL}: 0 = embeddings, i = after block i-1). It acts inside the forward pass,
 * so later blocks see the ablated stream. At the last index of a decoder it acts on the stream
 * before the final norm. (Arditi et al. 2024, "Refusal in language models is mediated by a single
 * direction"; the seed's Eq. 3.)
 *
 * @param layers residual indices to ablate at
 * @param direction the direction, any non-zero length (stored unit-normalized)
 * @param alpha strength: 0 changes nothing, 1 removes the component entirely
 */
public record DirectionAblation(Set<Integer> layers, float[] direction, float alpha) {

    public DirectionAblation {
        layers = Collections.unmodifiableSet(new TreeSet<>(layers));
        double norm = 0;
        for (float x : direction) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("ablation direction must be finite and non-zero");
        }
        float[] unit = new float[direction.length];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = (float) (direction[i] / norm);
        }
        direction = unit;
    }

    @Override
    public float[] direction() {
        return direction.clone();
    }
}
