package io.layerwise.checkpoints.bundle;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A per-layer direction (the seed's Eq. 1 difference of class means, or Eq. 2 logistic weights mapped
 * back through the standardization), unit-normalized, as a bundle: {@code direction.safetensors} with
 * one tensor {@code direction [d]} plus a {@link ProbeCard} of kind {@code direction} naming the
 * {@code method}, model, layer and tap it belongs to. It is what an ablation {@code h <- h - alpha (h.v) v}
 * needs, in the raw activation space of that tap.
 *
 * <pre>{@code
 * DirectionBundle v = DirectionBundle.read(Path.of("runs/x/directions/mean_difference/layer_04"));
 * float[] unit = v.direction();
 * }</pre>
 */
public final class DirectionBundle {
    public static final String TENSOR_FILE = "direction.safetensors";
    static final String DIRECTION = "direction";
    /** How far from 1 a stored norm may be: float32 rounding of a normalized vector stays far below it. */
    private static final double NORM_TOLERANCE = 1e-4;

    private final ProbeCard card;
    private final float[] direction;

    /**
     * @param card a card of kind {@code direction}
     * @param direction {@code card.dim()} values of unit Euclidean norm
     */
    public DirectionBundle(ProbeCard card, float[] direction) {
        if (card.kind() != BundleKind.DIRECTION) {
            throw new IllegalArgumentException("a direction bundle's card has kind direction, not " + card.kind().cardName());
        }
        if (direction.length != card.dim()) {
            throw new IllegalArgumentException("direction has " + direction.length + " values, the card's dim is " + card.dim());
        }
        double norm = norm(direction);
        if (Math.abs(norm - 1) > NORM_TOLERANCE) {
            throw new IllegalArgumentException("direction must be a unit vector, its norm is " + norm);
        }
        this.card = card;
        this.direction = direction.clone();
    }

    private static double norm(float[] v) {
        double sum = 0;
        for (float x : v) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }

    public ProbeCard card() {
        return card;
    }

    public float[] direction() {
        return direction.clone();
    }

    /** Writes {@code direction.safetensors} and {@code card.json} into {@code dir} atomically. */
    public void write(Path dir) {
        new TensorBundle(TENSOR_FILE, card, Map.of(DIRECTION, FloatTensor.vector(direction))).write(dir);
    }

    /** Reads and validates a direction bundle (format, card, one {@code direction [d]} of unit norm). */
    public static DirectionBundle read(Path dir) {
        return from(TensorBundle.read(dir, TENSOR_FILE));
    }

    /** The direction in a bundle already read. */
    public static DirectionBundle from(TensorBundle bundle) {
        ProbeCard card = bundle.card(ProbeCard.class);
        if (card.kind() != BundleKind.DIRECTION) {
            throw new BundleException(bundle.where(TensorBundle.CARD_FILE) + ": kind is " + card.kind().cardName()
                    + ", not direction");
        }
        bundle.requireTensorNames(Set.of(DIRECTION));
        float[] v = bundle.tensor(DIRECTION, card.dim()).values();
        if (Math.abs(norm(v) - 1) > NORM_TOLERANCE) {
            throw new BundleException(bundle.where(TENSOR_FILE) + ": tensor 'direction' has norm " + norm(v) + ", not 1");
        }
        return new DirectionBundle(card, v);
    }
}
