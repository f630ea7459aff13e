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

    /** The command a config is for: the quick-start ones by name, others by the longest command name their file name starts with. */
    private static String command(String name) {
        if (name.startsWith("quickstart")) {
            return name.equals("quickstart.yaml") ? "train" : "extract";
        }
        return new picocli.CommandLine(new Layerwise()).getSubcommands().keySet().stream()
                .filter(c -> name.startsWith(c + "-")).max(java.util.Comparator.comparingInt(String::length))
                .orElseThrow(() -> new AssertionError(name + " does not start with a command name"));
    }

    @Test
    void everyExampleConfigPassesItsCommandsDryRun() throws IOException {
        List<Path> configs;
        try (Stream<Path> files = Files.list(REPOSITORY.resolve("configs"))) {
            configs = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(configs).isNotEmpty();
        for (Path config : configs) {
            String name = config.getFileName().toString();
            List<String> args = new java.util.ArrayList<>(List.of(command(name), config.toString(), "--dry-run", "-s",
                    "output=" + REPOSITORY.resolve("target/dry-run/" + name)));
            // Block mappings seen so far, by indentation: a nested "path:" becomes e.g. extract.dataset.path.
            java.util.TreeMap<Integer, String> parents = new java.util.TreeMap<>();
            for (String line : Files.readString(config).lines().toList()) {
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#") || !trimmed.contains(":")) {
                    continue;
                }
                int indent = line.indexOf(trimmed);
                parents.tailMap(indent, true).clear();
                String field = trimmed.substring(0, trimmed.indexOf(':'));
                String value = trimmed.substring(trimmed.indexOf(':') + 1).replaceAll("\\s+#.*$", "").strip();
                if (value.isEmpty()) {
                    parents.put(indent, field);
                    continue;
                }
                String key = String.join(".", parents.values()) + (parents.isEmpty() ? "" : ".") + field;
                boolean file = field.equals("path") || field.equals("safety_prompts") || field.equals("prompts") || field.equals("mmlu") || field.equals("base")
                        || field.equals("general") || field.equals("texts")
                        || (field.equals("model") && value.startsWith("examples/"));
                if (file) {
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
