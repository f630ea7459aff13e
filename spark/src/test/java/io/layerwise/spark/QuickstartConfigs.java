package io.layerwise.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The quick-start extraction (300 comments, MiniLM layers 2 and 5) in 4 shards of 75, as the Spark tests run it. */
final class QuickstartConfigs {
    private static final Path REPO = Path.of("").toAbsolutePath().getParent();

    private QuickstartConfigs() {}

    /** Writes the config to {@code file}: output {@code store}, {@code engine} in 4 tasks of 1 thread, {@code spark} lines. */
    static Path write(Path file, Path store, String engine, String... spark) throws IOException {
        String yaml = String.join("\n",
                "model: all-minilm-l6-v2",
                "dataset: {path: '" + REPO.resolve("data/quickstart/jigsaw-illustrative/train.csv") + "', format: jigsaw}",
                "layers: [2, 5]",
                "shard_size: 75",
                "max_length: 128",
                "output: '" + store + "'",
                "execution:",
                "  engine: " + engine,
                "  shards: 4",
                "  threads_per_task: 1",
                "  spark:",
                "    " + String.join("\n    ", spark), "");
        return Files.writeString(file, yaml);
    }
}
