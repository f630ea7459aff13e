package io.layerwise.models.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared} (fixtures, models, data) for tests; Surefire passes its path. */
public final class SharedFiles {
    private SharedFiles() {}

    public static Path root() {
        String configured = System.getProperty("layerwise.shared");
        Path root = configured != null ? Path.of(configured) : Path.of("../shared");
        if (!Files.isDirectory(root.resolve("fixtures"))) {
            throw new IllegalStateException("shared reference files not found at " + root.toAbsolutePath()
                    + " (set -Dlayerwise.shared=/path/to/shared)");
        }
        return root;
    }

    public static Path fixture(String name) {
        return root().resolve("fixtures").resolve(name);
    }
}
