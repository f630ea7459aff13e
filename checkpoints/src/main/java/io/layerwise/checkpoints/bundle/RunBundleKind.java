package io.layerwise.checkpoints.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Where a training run keeps its bundles, one directory per kind and layer, so that
 * {@code layerwise export} finds them: probes at {@code RUN/probes/<mlp|logistic>/layer_<LL>/} and
 * directions at {@code RUN/directions/<mean_difference|logistic>/layer_<LL>/}, with {@code LL} the layer
 * index in at least two digits. The constant names are the {@code --kind} values of {@code export}.
 *
 * <pre>{@code
 * probe.write(RunBundleKind.MLP.directory(run, 4));   // RUN/probes/mlp/layer_04
 * }</pre>
 */
public enum RunBundleKind {
    MLP("probes/mlp"),
    LOGISTIC("probes/logistic"),
    MEAN_DIFFERENCE("directions/mean_difference"),
    LOGISTIC_DIRECTION("directions/logistic");

    private static final Pattern LAYER_DIRECTORY = Pattern.compile("layer_(\\d{2,})");

    private final String subdirectory;

    RunBundleKind(String subdirectory) {
        this.subdirectory = subdirectory;
    }

    /** The {@code --kind} name: {@code mlp}, {@code logistic}, {@code mean_difference}, {@code logistic_direction}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The kind a {@code --kind} value names, or an error listing the names. */
    public static RunBundleKind fromCliName(String name) {
        return Arrays.stream(values()).filter(k -> k.cliName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not one of " + names()));
    }

    public static String names() {
        return Arrays.stream(values()).map(RunBundleKind::cliName).collect(Collectors.joining(", "));
    }

    /** Whether the bundles of this kind are probes (otherwise directions). */
    public boolean isProbe() {
        return this == MLP || this == LOGISTIC;
    }

    /** {@code RUN/probes/mlp}, {@code RUN/directions/logistic}, ... */
    public Path root(Path run) {
        return run.resolve(subdirectory);
    }

    /** The bundle directory of one layer: {@code root(run)/layer_04}. */
    public Path directory(Path run, int layer) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        return root(run).resolve(String.format(Locale.ROOT, "layer_%02d", layer));
    }

    /** The layer directories present in a run, by layer index (empty when the run has none of this kind). */
    public SortedMap<Integer, Path> layers(Path run) {
        SortedMap<Integer, Path> layers = new TreeMap<>();
        Path root = root(run);
        if (!Files.isDirectory(root)) {
            return layers;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : (Iterable<Path>) entries::iterator) {
                Matcher m = LAYER_DIRECTORY.matcher(entry.getFileName().toString());
                if (m.matches() && Files.isDirectory(entry)) {
                    layers.put(Integer.parseInt(m.group(1)), entry);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
        }
        return layers;
    }

    /** Reads and validates the bundle in {@code dir} as this kind's type; returns its card. */
    public ProbeCard readValidated(Path dir) {
        return check(isProbe() ? ProbeBundle.read(dir).card() : DirectionBundle.read(dir).card(), dir);
    }

    /** Reads and validates the bundle in {@code from}, then writes it to {@code to} atomically; returns its card. */
    public ProbeCard copy(Path from, Path to) {
        if (isProbe()) {
            ProbeBundle probe = ProbeBundle.read(from);
            check(probe.card(), from);
            probe.write(to);
            return probe.card();
        }
        DirectionBundle direction = DirectionBundle.read(from);
        check(direction.card(), from);
        direction.write(to);
        return direction.card();
    }

    private ProbeCard check(ProbeCard card, Path dir) {
        BundleKind expected = switch (this) {
            case MLP -> BundleKind.MLP;
            case LOGISTIC -> BundleKind.LOGISTIC;
            case MEAN_DIFFERENCE, LOGISTIC_DIRECTION -> BundleKind.DIRECTION;
        };
        String method = switch (this) {
            case MEAN_DIFFERENCE -> "mean_difference";
            case LOGISTIC_DIRECTION -> "logistic";
            default -> null;
        };
        if (card.kind() != expected || (method != null && !method.equals(card.method()))) {
            throw new BundleException(dir.resolve(TensorBundle.CARD_FILE) + ": holds a " + card.kind().cardName()
                    + (card.method() == null ? "" : " (" + card.method() + ")") + " bundle, but it lies under "
                    + subdirectory + ", which is for " + cliName());
        }
        return card;
    }
}
