package io.layerwise.datasets.config;

/**
 * A typed config and where it came from.
 *
 * @param value the config record, defaults applied
 * @param source the file and overrides, for reporting later problems by line and field
 * @param <T> config record type
 */
public record LoadedConfig<T>(T value, ConfigSource source) {}
