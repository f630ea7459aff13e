package io.layerwise.trainers.router;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.layerwise.models.runtime.HeadGate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Trained routers plugged into the forward pass as per-token head weights: for every block with a
 * router, each token's attention input goes through {@link HeadRouter#gates}, and the weights multiply
 * the heads' outputs before the output projection. Blocks without a router stay dense.
 *
 * <pre>{@code
 * Interventions routed = Interventions.none().withHeadGate(new RouterGate(routers));
 * }</pre>
 */
public final class RouterGate implements HeadGate {
    private final Map<Integer, HeadRouter> routers = new TreeMap<>();

    public RouterGate(List<HeadRouter> routers) {
        routers.forEach(r -> this.routers.put(r.layer(), r));
    }

    @Override
    public NDArray gates(int layer, NDArray attentionInput) {
        HeadRouter router = routers.get(layer);
        if (router == null) {
            return null;
        }
        Shape shape = attentionInput.getShape();
        int hidden = (int) shape.get(2);
        float[] x = attentionInput.toFloatArray();
        int tokens = x.length / hidden;
        float[] gates = new float[tokens * router.heads()];
        float[] row = new float[hidden];
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(x, t * hidden, row, 0, hidden);
            System.arraycopy(router.gates(row), 0, gates, t * router.heads(), router.heads());
        }
        return attentionInput.getManager().create(gates, new Shape(shape.get(0), shape.get(1), router.heads()));
    }
}
