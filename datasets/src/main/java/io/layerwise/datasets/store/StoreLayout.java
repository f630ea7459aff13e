package io.layerwise.datasets.store;

import java.nio.file.Path;

/**
 * Where each file of an activation store lives, relative to its directory:
 *
 * <pre>
 * manifest.json                       what the store holds; its commit record (replaced atomically)
 * config.resolved.yaml                the extraction config with defaults and overrides applied
 * labels.npy                          int64 [rows]: class label of each row (-1 = unlabelled)
 * splits.npy                          int8 [rows]: 0 train, 1 validation, 2 test
 * example_ids.json                    the data set's id of each example, in row order of pooled stores
 * token_index.npy                     int64 [rows, 2]: (example, token position), per-token stores only
 * {tap}/layer_{l}/shard_{k:05d}.npy   f16 or f32 [rows of shard k, dim]
 * entries/shard_{k:05d}.json          commit record of shard k: its files and sizes ({@link ShardEntry})
 * </pre>
 *
 * The manifest is complete only after every shard's entry is in place; the per-row index files and the
 * resolved config are written by the merge that completes it.
 */
public final class StoreLayout {
    public static final String MANIFEST = "manifest.json";
    public static final String RESOLVED_CONFIG = "config.resolved.yaml";
    public static final String LABELS = "labels.npy";
    public static final String SPLITS = "splits.npy";
    public static final String EXAMPLE_IDS = "example_ids.json";
    public static final String TOKEN_INDEX = "token_index.npy";
    public static final String ENTRIES = "entries";

    private StoreLayout() {}

    /** The shard file of one tap, layer and shard index. */
    public static Path shard(Path store, ActivationTap tap, int layer, int shard) {
        return store.resolve(tap.configName()).resolve("layer_" + layer).resolve(String.format("shard_%05d.npy", shard));
    }

    /** The commit record of shard {@code shard}. */
    public static Path entry(Path store, int shard) {
        return store.resolve(ENTRIES).resolve(String.format("shard_%05d.json", shard));
    }
}
