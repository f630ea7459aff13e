package io.layerwise.datasets.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Asserts that two activation stores are the same bytes: the same file names, every file byte-identical,
 * and the manifests equal but for their timestamps. How a store was computed (one process, shards in many,
 * Spark tasks, a killed and resumed run) must not show in it.
 */
public final class StoreComparison {
    private StoreComparison() {}

    public static void assertSameStore(Path expected, Path actual) throws IOException {
        TreeMap<String, Path> expectedFiles = files(expected);
        TreeMap<String, Path> actualFiles = files(actual);
        assertThat(actualFiles.keySet()).isEqualTo(expectedFiles.keySet());
        for (String name : expectedFiles.keySet()) {
            if (name.equals("manifest.json")) {
                assertThat(withoutTimestamps(actualFiles.get(name))).isEqualTo(withoutTimestamps(expectedFiles.get(name)));
            } else {
                assertThat(Files.readAllBytes(actualFiles.get(name))).as(name).isEqualTo(Files.readAllBytes(expectedFiles.get(name)));
            }
        }
    }

    /** Every regular file under {@code root}, by its relative path with {@code /} separators. */
    public static TreeMap<String, Path> files(Path root) throws IOException {
        TreeMap<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(f -> files.put(root.relativize(f).toString().replace(File.separatorChar, '/'), f));
        }
        return files;
    }

    private static ObjectNode withoutTimestamps(Path manifest) throws IOException {
        ObjectNode tree = (ObjectNode) new ObjectMapper().readTree(manifest.toFile());
        tree.remove(List.of("created_at", "updated_at"));
        return tree;
    }
}
