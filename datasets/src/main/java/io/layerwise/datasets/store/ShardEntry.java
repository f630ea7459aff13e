package io.layerwise.datasets.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.layerwise.datasets.store.StoreManifest.ShardInfo;
import io.layerwise.models.files.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * {@code entries/shard_{k:05d}.json}: the commit record of one shard. A shard's {@code .npy} files are
 * renamed into place first, then this small file is written atomically, so a shard counts as committed
 * exactly when its entry exists and every file it lists has the listed size. Each shard has its own
 * entry, so any number of processes (a Slurm array, Spark tasks) commit shards without sharing a file;
 * the merge reads the entries and only then writes the manifest. The {@code identity} is the store
 * manifest's {@link StoreManifest#identityFingerprint()}: an entry left by another configuration (or
 * other weights) never counts.
 *
 * @param identity identity fingerprint of the store the shard belongs to
 * @param shard which rows the shard holds
 * @param files each shard file, relative to the store with {@code /} separators, and its size in bytes
 */
public record ShardEntry(String identity, ShardInfo shard, Map<String, Long> files) {
    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public ShardEntry {
        // sorted, so that every attempt at a shard writes the same bytes
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /** The entry of {@code shard} in a store described by {@code manifest}: every tap and layer's file and its size. */
    public static ShardEntry of(StoreManifest manifest, ShardInfo shard) {
        NpyDType dtype = manifest.dtype().equals("f32") ? NpyDType.F32 : NpyDType.F16;
        Map<String, Long> files = new LinkedHashMap<>();
        for (StoreManifest.TapInfo tap : manifest.taps()) {
            long bytes = NpyHeader.of(dtype, shard.rows(), tap.dim()).fileBytes();
            for (int layer : tap.layers()) {
                files.put(StoreLayout.shard(Path.of(""), tap.tap(), layer, shard.index()).toString().replace('\\', '/'), bytes);
            }
        }
        return new ShardEntry(manifest.identityFingerprint(), shard, files);
    }

    /** Reads the entry of shard {@code k}, if there is one. */
    public static Optional<ShardEntry> read(Path store, int k) {
        Path file = StoreLayout.entry(store, k);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), ShardEntry.class));
        } catch (IOException e) {
            // entries are written by rename, so an unreadable one was damaged afterwards: the shard is redone
            return Optional.empty();
        }
    }

    /** Whether every listed file is in {@code store} with its listed size. */
    public boolean intact(Path store) {
        for (Map.Entry<String, Long> f : files.entrySet()) {
            Path file = store.resolve(f.getKey());
            try {
                if (!Files.isRegularFile(file) || Files.size(file) != f.getValue()) {
                    return false;
                }
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }

    /** Writes this entry atomically: the shard's commit. */
    public void write(Path store) throws IOException {
        byte[] bytes = (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(StoreLayout.entry(store, shard.index()), bytes);
    }
}
