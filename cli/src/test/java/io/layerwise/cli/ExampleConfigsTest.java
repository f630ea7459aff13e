package io.layerwise.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every example config in {@code configs/} is valid for its command ({@code --dry-run}: parsed and
 * checked without loading a model), and the files it names exist in the repository.
 */
class ExampleConfigsTest {
    /** Tests run in the module directory; configs are written for the repository root. */
    private static final Path REPOSITORY = Path.of("").toAbsolutePath().getParent();

    @Test
    void everyExampleConfigPassesItsCommandsDryRun() throws IOException {
        List<Path> configs;
        try (Stream<Path> files = Files.list(REPOSITORY.resolve("configs"))) {
            configs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(configs).isNotEmpty();
        for (Path config : configs) {
            String name = config.getFileName().toString();
            String command = name.startsWith("eval-") ? "eval" : name.startsWith("prune-") ? "prune"
                    : name.startsWith("refusal-direction") ? "refusal-direction" : name.startsWith("energies-") ? "energies"
                    : name.startsWith("aapp-") ? "aapp" : "extract";
            List<String> args = new java.util.ArrayList<>(List.of(command, config.toString(), "--dry-run", "-s",
                    "output=" + REPOSITORY.resolve("target/dry-run/" + name)));
            for (String line : Files.readString(config).lines().toList()) {
                String trimmed = line.strip();
                String value = trimmed.substring(trimmed.indexOf(':') + 1).strip();
                String key = trimmed.startsWith("path:") ? "dataset.path" : trimmed.startsWith("model: examples/") ? "model"
                        : trimmed.startsWith("safety_prompts:") ? "safety_prompts"
                        : trimmed.startsWith("prompts:") ? "prompts" : trimmed.startsWith("general:") ? "general"
                        : trimmed.startsWith("texts:") ? "classifier.texts" : null;
                if (key != null) {
                    value = value.replaceAll("\\s+#.*$", "");
                    assertThat(REPOSITORY.resolve(value)).as(name + " names " + value).exists();
                    args.addAll(List.of("-s", key + "=" + REPOSITORY.resolve(value)));
                }
            }
            assertThat(Layerwise.run(args.toArray(String[]::new))).as(name).isZero();
            // a dry run loads no model and writes nothing
            assertThat(REPOSITORY.resolve("target/dry-run/" + name)).as(name).doesNotExist();
        }
    }
}
