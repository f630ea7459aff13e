package io.layerwise.cli;

import io.layerwise.checkpoints.bundle.BundleExport;
import io.layerwise.checkpoints.bundle.RunBundleKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code layerwise export --run RUN --kind KIND --layer L|best --out DIR}: writes one probe or direction
 * of a training run as a standalone bundle ({@code probe.safetensors} or {@code direction.safetensors}
 * plus {@code card.json}), validated on the way and written atomically. {@code --layer best} picks the
 * layer with the highest test F1 recorded in the cards.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Export a trained probe or direction of a train run as a portable bundle.",
                "Bundles load in Java (layerwise score), numpy and PyTorch (README, 'Reuse a probe')."})
final class ExportCommand implements Callable<Integer> {
    @Option(names = "--run", required = true, paramLabel = "RUN", description = "Run directory of layerwise train")
    Path run;

    @Option(names = "--kind", required = true, paramLabel = "KIND",
            description = "mlp, logistic (probes), mean_difference or logistic_direction (directions)")
    String kind;

    @Option(names = "--layer", required = true, paramLabel = "L|best",
            description = "Layer index, or best: the highest test F1 in the cards")
    String layer;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Bundle directory to write (new, empty, or an earlier bundle to replace)")
    Path out;

    @Override
    public Integer call() {
        RunBundleKind bundleKind;
        try {
            bundleKind = RunBundleKind.fromCliName(kind);
        } catch (IllegalArgumentException e) {
            throw new UserInputException("--kind: " + e.getMessage());
        }
        if (!Files.isDirectory(run)) {
            throw new UserInputException("--run: " + run + " is not a directory");
        }
        BundleExport.Exported exported = BundleExport.export(run, bundleKind, parseLayer(layer), out);
        System.out.printf("exported the %s bundle of layer %d (%s) to %s%n", bundleKind.cliName(), exported.layer(),
                exported.card().testF1().isPresent() ? String.format("test F1 %.4f", exported.card().testF1().getAsDouble())
                        : "no test F1 recorded",
                out);
        return 0;
    }

    private static OptionalInt parseLayer(String text) {
        if (text.equals("best")) {
            return OptionalInt.empty();
        }
        try {
            int layer = Integer.parseInt(text);
            if (layer >= 0) {
                return OptionalInt.of(layer);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserInputException("--layer: '" + text + "' is neither a layer index >= 0 nor best");
    }
}
