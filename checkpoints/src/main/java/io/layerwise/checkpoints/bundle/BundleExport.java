package io.layerwise.checkpoints.bundle;

import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.SortedMap;

/**
 * {@code layerwise export}: picks one bundle of a training run (a given layer, or the layer with the
 * highest test F1 recorded in the cards) and writes it, validated, to a directory of its own.
 *
 * <pre>{@code
 * BundleExport.Exported e = BundleExport.export(run, RunBundleKind.MLP, OptionalInt.empty(), Path.of("toxicity-probe"));
 * }</pre>
 */
public final class BundleExport {
    private BundleExport() {}

    /**
     * @param layer the layer exported
     * @param source the bundle directory in the run
     * @param card its card
     */
    public record Exported(int layer, Path source, ProbeCard card) {}

    /**
     * Exports one bundle.
     *
     * @param layer the layer, or empty for the one with the highest {@link ProbeCard#TEST_F1} (ties: the lowest layer)
     * @throws BundleException when the run has no such bundle, a card lacks the test F1 needed to rank, or a bundle is invalid
     */
    public static Exported export(Path run, RunBundleKind kind, OptionalInt layer, Path out) {
        SortedMap<Integer, Path> layers = kind.layers(run);
        if (layers.isEmpty()) {
            throw new BundleException(run + " has no " + kind.cliName() + " bundles (nothing under " + kind.root(run)
                    + "); is it the run directory of layerwise train?");
        }
        int chosen = layer.isPresent() ? layer.getAsInt() : best(kind, layers);
        Path source = layers.get(chosen);
        if (source == null) {
            throw new BundleException(run + " has no " + kind.cliName() + " bundle for layer " + chosen + "; it has layers "
                    + layers.keySet());
        }
        ProbeCard card = kind.copy(source, out);
        return new Exported(chosen, source, card);
    }

    private static int best(RunBundleKind kind, SortedMap<Integer, Path> layers) {
        int best = -1;
        double bestF1 = Double.NEGATIVE_INFINITY;
        for (Map.Entry<Integer, Path> e : layers.entrySet()) {
            OptionalDouble f1 = kind.readValidated(e.getValue()).testF1();
            if (f1.isEmpty()) {
                throw new BundleException(e.getValue().resolve(TensorBundle.CARD_FILE) + ": metrics has no "
                        + ProbeCard.TEST_F1 + " to rank layers by; pass --layer N instead of best");
            }
            if (f1.getAsDouble() > bestF1) {
                bestF1 = f1.getAsDouble();
                best = e.getKey();
            }
        }
        return best;
    }
}
