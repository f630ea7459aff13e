package io.layerwise.cli;

import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.config.LoadedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments every config-driven command takes: the YAML file, {@code -s key=value} overrides and {@code --dry-run}. */
final class ConfigArguments {
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "The command's YAML config (examples in configs/)")
    Path config;

    @Option(names = {"-s", "--set"}, paramLabel = "key=value",
            description = "Override a config field by its dotted key, e.g. -s model=DIR -s dataset.path=FILE")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--dry-run", description = "Check the config and print what would run, without loading the model")
    boolean dryRun;

    /** Loads and validates the config; errors name the file, line and field. */
    <T> LoadedConfig<T> load(Class<T> type) {
        return ConfigLoader.load(config, overrides, type);
    }

    /** With {@code --dry-run}: prints the resolved config and returns true, so the command stops there. */
    boolean printedDryRun(Object resolved) {
        if (dryRun) {
            System.out.print(ConfigLoader.toYaml(resolved));
        }
        return dryRun;
    }
}
