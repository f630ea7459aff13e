package io.layerwise.checkpoints.bundle;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained probe as a portable bundle: {@code probe.safetensors} plus {@code card.json}
 * ({@link ProbeCard}). The tensors carry PyTorch names and layouts, so the probe loads into PyTorch
 * with {@code load_state_dict(strict=True)} once the two {@code standardize.*} entries are taken out:
 * <ul>
 *   <li>{@code mlp}: {@code nn.Sequential(nn.Linear(d, h), <activation>, nn.Linear(h, 1))} ->
 *       {@code 0.weight [h, d]}, {@code 0.bias [h]}, {@code 2.weight [1, h]}, {@code 2.bias [1]};</li>
 *   <li>{@code logistic}: one {@code nn.Linear(d, 1)} -> {@code weight [1, d]}, {@code bias [1]};</li>
 *   <li>both: {@code standardize.mean [d]}, {@code standardize.std [d]} (the same values as the card's).</li>
 * </ul>
 * The probability of class 1 for a pooled row x is {@code sigmoid(probe((x - mean) / std))}, computed
 * here in double precision.
 *
 * <pre>{@code
 * ProbeBundle probe = ProbeBundle.read(Path.of("runs/x/probes/mlp/layer_04"));
 * double[] p = probe.probabilities(pooledRows);
 * boolean[] toxic = probe.predictions(pooledRows);
 * }</pre>
 */
public final class ProbeBundle {
    public static final String TENSOR_FILE = "probe.safetensors";
    static final String MEAN = "standardize.mean";
    static final String STD = "standardize.std";

    private final ProbeCard card;
    private final List<AffineLayer> layers;

    /**
     * @param card a card of kind {@code mlp} (two layers) or {@code logistic} (one layer)
     * @param layers the affine layers in order; the first takes {@code card.dim()} inputs, the last gives one output
     */
    public ProbeBundle(ProbeCard card, List<AffineLayer> layers) {
        this.card = card;
        this.layers = List.copyOf(layers);
        int expected = switch (card.kind()) {
            case MLP -> 2;
            case LOGISTIC -> 1;
            default -> throw new IllegalArgumentException("a probe bundle's card has kind mlp or logistic, not " + card.kind().cardName());
        };
        if (this.layers.size() != expected) {
            throw new IllegalArgumentException("a " + card.kind().cardName() + " probe has " + expected + " layer(s), got " + layers.size());
        }
        if (this.layers.get(0).inputs() != card.dim()) {
            throw new IllegalArgumentException("the first layer takes " + this.layers.get(0).inputs() + " inputs, but the card's dim is " + card.dim());
        }
        if (expected == 2 && this.layers.get(1).inputs() != this.layers.get(0).outputs()) {
            throw new IllegalArgumentException("layer 2 takes " + this.layers.get(1).inputs() + " inputs, layer 1 gives "
                    + this.layers.get(0).outputs());
        }
        if (this.layers.get(expected - 1).outputs() != 1) {
            throw new IllegalArgumentException("the last layer must give 1 output (the logit), gives " + this.layers.get(expected - 1).outputs());
        }
    }

    public ProbeCard card() {
        return card;
    }

    public List<AffineLayer> layers() {
        return layers;
    }

    /** The tensors as written, by PyTorch name. */
    public Map<String, FloatTensor> tensors() {
        Map<String, FloatTensor> tensors = new LinkedHashMap<>();
        List<String> prefixes = prefixes(card.kind());
        for (int i = 0; i < layers.size(); i++) {
            tensors.put(prefixes.get(i) + "weight", FloatTensor.matrix(layers.get(i).weight()));
            tensors.put(prefixes.get(i) + "bias", FloatTensor.vector(layers.get(i).bias()));
        }
        tensors.put(MEAN, FloatTensor.vector(card.standardization().mean()));
        tensors.put(STD, FloatTensor.vector(card.standardization().std()));
        return tensors;
    }

    /** {@code Sequential} indices of the linear layers: 0 and 2 for the MLP (1 is the activation); a bare Linear has none. */
    private static List<String> prefixes(BundleKind kind) {
        return kind == BundleKind.MLP ? List.of("0.", "2.") : List.of("");
    }

    /** Writes {@code probe.safetensors} and {@code card.json} into {@code dir} atomically. */
    public void write(Path dir) {
        new TensorBundle(TENSOR_FILE, card, tensors()).write(dir);
    }

    /**
     * Reads and validates a probe bundle: format version, card fields, exactly the expected tensor
     * names with the shapes the card implies, and standardization tensors equal to the card's.
     */
    public static ProbeBundle read(Path dir) {
        return from(TensorBundle.read(dir, TENSOR_FILE));
    }

    /** The probe in a bundle already read. */
    public static ProbeBundle from(TensorBundle bundle) {
        ProbeCard card = bundle.card(ProbeCard.class);
        if (card.kind() != BundleKind.MLP && card.kind() != BundleKind.LOGISTIC) {
            throw new BundleException(bundle.where(TensorBundle.CARD_FILE) + ": kind is " + card.kind().cardName()
                    + ", not a probe (mlp or logistic)");
        }
        List<String> prefixes = prefixes(card.kind());
        java.util.Set<String> names = new java.util.TreeSet<>(List.of(MEAN, STD));
        prefixes.forEach(p -> names.addAll(List.of(p + "weight", p + "bias")));
        bundle.requireTensorNames(names);
        int d = card.dim();
        float[] mean = bundle.tensor(MEAN, d).values();
        float[] std = bundle.tensor(STD, d).values();
        if (!java.util.Arrays.equals(mean, card.standardization().mean()) || !java.util.Arrays.equals(std, card.standardization().std())) {
            throw new BundleException(bundle.where(ProbeBundle.TENSOR_FILE) + ": tensors " + MEAN + " / " + STD
                    + " differ from the card's standardization; the bundle was edited by hand or is torn");
        }
        List<AffineLayer> layers;
        if (card.kind() == BundleKind.MLP) {
            long[] first = bundle.tensors().get("0.weight").shape();
            if (first.length != 2) {
                throw new BundleException(bundle.where(TENSOR_FILE) + ": tensor '0.weight' has shape "
                        + java.util.Arrays.toString(first) + ", expected [hidden, " + d + "]");
            }
            long hidden = first[0];
            layers = List.of(
                    new AffineLayer(bundle.tensor("0.weight", hidden, d).matrix(), bundle.tensor("0.bias", hidden).values()),
                    new AffineLayer(bundle.tensor("2.weight", 1, hidden).matrix(), bundle.tensor("2.bias", 1).values()));
        } else {
            layers = List.of(new AffineLayer(bundle.tensor("weight", 1, d).matrix(), bundle.tensor("bias", 1).values()));
        }
        return new ProbeBundle(card, layers);
    }

    /** The probability of class 1 for one pooled row of width {@code dim}. */
    public double probability(float[] row) {
        if (row.length != card.dim()) {
            throw new IllegalArgumentException("row has " + row.length + " values; this probe takes " + card.dim());
        }
        float[] mean = card.standardization().mean();
        float[] std = card.standardization().std();
        double[] z = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            z[i] = ((double) row[i] - mean[i]) / std[i];
        }
        double[] h = layers.get(0).apply(z);
        if (card.kind() == BundleKind.MLP) {
            for (int j = 0; j < h.length; j++) {
                h[j] = card.activation().apply(h[j]);
            }
            h = layers.get(1).apply(h);
        }
        return sigmoid(h[0]);
    }

    /** {@link #probability} of each row. */
    public double[] probabilities(float[][] pooledRows) {
        double[] p = new double[pooledRows.length];
        for (int r = 0; r < p.length; r++) {
            p[r] = probability(pooledRows[r]);
        }
        return p;
    }

    /** Whether each row's probability reaches the card's threshold. */
    public boolean[] predictions(float[][] rows) {
        double[] p = probabilities(rows);
        boolean[] out = new boolean[p.length];
        for (int r = 0; r < p.length; r++) {
            out[r] = p[r] >= card.threshold().value();
        }
        return out;
    }

    /** The logistic function, written so that large |x| neither overflows nor loses the small tail. */
    static double sigmoid(double x) {
        return x >= 0 ? 1.0 / (1.0 + Math.exp(-x)) : Math.exp(x) / (1.0 + Math.exp(x));
    }
}
