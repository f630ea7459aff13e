package io.layerwise.checkpoints.bundle;

import java.nio.file.Path;

/**
 * Wrote the checked-in format-compatibility bundles under
 * {@code src/test/resources/io/layerwise/checkpoints/bundle/golden-v1/} (see the README there). Kept so
 * the next format version can make its own golden files the same way; the old ones are never rewritten.
 */
final class GoldenBundleMaker {
    private GoldenBundleMaker() {}

    /** Writes {@code mlp/} and {@code logistic/} under the directory given as the only argument. */
    public static void main(String[] args) {
        Path root = Path.of(args[0]);
        TestBundles.randomProbe(BundleKind.MLP, 4, 3, 2026, 2, 0.875).write(root.resolve("mlp"));
        TestBundles.randomProbe(BundleKind.LOGISTIC, 4, 0, 2027, 1, 0.75).write(root.resolve("logistic"));
    }
}
