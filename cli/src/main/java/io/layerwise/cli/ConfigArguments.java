package io.layerwise.cli;

import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.config.LoadedConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The arguments every config-driven command takes: the YAML file and {@code -s key=value} overrides. */
final class ConfigArguments {
    @Parameters(index = "0", paramLabel = "CONFIG.yaml", description = "The command's YAML config (examples in configs/)")
    Path config;

    @Option(names = {"-s", "--set"}, paramLabel = "key=value",
            description = "Override a config field by its dotted key, e.g. -s model=DIR -s dataset.path=FILE")
    List<String> overrides = new ArrayList<>();

    /** Loads and validates the config; errors name the file, line and field. */
    <T> LoadedConfig<T> load(Class<T> type) {
        return ConfigLoader.load(config, overrides, type);
    }
}
