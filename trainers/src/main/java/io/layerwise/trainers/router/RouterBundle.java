package io.layerwise.trainers.router;

import io.layerwise.checkpoints.bundle.BundleException;
import io.layerwise.checkpoints.bundle.FloatTensor;
import io.layerwise.checkpoints.bundle.TensorBundle;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A {@link HeadRouter} as a portable bundle ({@link TensorBundle}): {@code router.safetensors} holds
 * {@code router.weight} {@code [routed, H]} (MoH's {@code wg}, a bias-free PyTorch {@code Linear(H, routed)})
 * and, with the two-way weighting, {@code mix.weight} {@code [2, H]} ({@code wg_0}); {@code card.json}
 * is a {@link RouterCard}. Reading checks the tensor names and shapes against the card, so a bundle
 * read back gates the forward pass exactly as the router that was written.
 *
 * <pre>{@code
 * new RouterBundle(card, router).write(run.resolve("routers/layer-3"));
 * HeadRouter back = RouterBundle.read(dir).router();
 * }</pre>
 */
public record RouterBundle(RouterCard card, HeadRouter router) {
    public static final String TENSOR_FILE = "router.safetensors";
    private static final String ROUTER_WEIGHT = "router.weight";
    private static final String MIX_WEIGHT = "mix.weight";

    public void write(Path dir) {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        tensors.put(ROUTER_WEIGHT, FloatTensor.matrix(router.routerWeight()));
        if (router.mixWeight() != null) {
            tensors.put(MIX_WEIGHT, FloatTensor.matrix(router.mixWeight()));
        }
        new TensorBundle(TENSOR_FILE, card, tensors).write(dir);
    }

    /** Reads and checks a router bundle; errors name the file and the tensor or field. */
    public static RouterBundle read(Path dir) {
        TensorBundle bundle = TensorBundle.read(dir, TENSOR_FILE);
        RouterCard card = bundle.card(RouterCard.class);
        bundle.requireTensorNames(card.twoWay() ? Set.of(ROUTER_WEIGHT, MIX_WEIGHT) : Set.of(ROUTER_WEIGHT));
        FloatTensor weight = bundle.tensors().get(ROUTER_WEIGHT);
        long hidden = weight.shape().length == 2 ? weight.shape()[1] : -1;
        if (hidden < 1) {
            throw new BundleException(dir.resolve(TENSOR_FILE) + ": tensor '" + ROUTER_WEIGHT + "' has shape "
                    + weight.shapeText() + ", expected [" + card.routedHeads().length + ", H]");
        }
        float[][] routerWeight = bundle.tensor(ROUTER_WEIGHT, card.routedHeads().length, hidden).matrix();
        float[][] mixWeight = card.twoWay() ? bundle.tensor(MIX_WEIGHT, 2, hidden).matrix() : null;
        return new RouterBundle(card, new HeadRouter(card.layer(), card.heads(), card.sharedHeads(), card.routedHeads(),
                card.topK(), card.weighting(), routerWeight, mixWeight));
    }
}
