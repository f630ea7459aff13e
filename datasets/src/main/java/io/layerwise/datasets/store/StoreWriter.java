package io.layerwise.datasets.store;

import io.layerwise.models.files.AtomicFiles;
import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.store.StoreManifest.ShardInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Creates an activation store, or reopens one to resume it, and records its progress. A store is
 * reopened only when its manifest has the identity the job asks for (same model weights, data set,
 * split, taps, layers, pooling, dtype, lengths, batch and shard sizes); anything else is refused with the
 * differing fields named, so rows of two configurations never mix. On reopening, temporary files of a
 * killed run are deleted, and a listed shard whose files are missing or of the wrong size is dropped
 * from the list so it is written again.
 *
 * <p>Commit protocol: each shard's files are written to temporary names and renamed into place
 * ({@link ShardWriter}); then {@link #commitShard} lists the shard in a new manifest, replaced atomically.
 * Every file is a deterministic function of the config, data and model, so whatever point a job is
 * killed at, running it again ends with the same bytes as an uninterrupted run.
 */
public final class StoreWriter {
    private final Path directory;
    private StoreManifest manifest;

    private StoreWriter(Path directory, StoreManifest manifest) {
        this.directory = directory;
        this.manifest = manifest;
    }

    /**
     * Checks a store directory against the manifest a job would write, before any heavy work: refuses a
     * store of another identity, and a non-empty directory that is not a store.
     *
     * @return the stored manifest, or null when the directory is absent or empty (a new store)
     */
    public static StoreManifest check(Path directory, StoreManifest requested) {
        if (!StoreManifest.exists(directory)) {
            if (Files.exists(directory) && !isEmptyDirectory(directory)) {
                throw new DatasetException(directory + " exists and is not an activation store (no "
                        + StoreLayout.MANIFEST + "); choose a new or empty output directory");
            }
            return null;
        }
        StoreManifest stored = StoreManifest.read(directory);
        List<String> differences = stored.identityDifferences(requested);
        if (!differences.isEmpty()) {
            throw new DatasetException(directory + " holds activations of another configuration, and a store never "
                    + "mixes two:\n  " + String.join("\n  ", differences)
                    + "\nUse another output directory, or the settings the store was made with.");
        }
        return stored;
    }

    /** Opens the store for {@code requested} (which must carry the weight fingerprint), creating it when new. */
    public static StoreWriter openOrCreate(Path directory, StoreManifest requested) throws IOException {
        if (requested.model().weightFingerprint() == null) {
            throw new IllegalArgumentException("the weight fingerprint must be known before a store is written");
        }
        StoreManifest stored = check(directory, requested);
        String now = now();
        if (stored == null) {
            Files.createDirectories(directory);
            StoreManifest fresh = requested.withProgress(List.of(), StoreManifest.IN_PROGRESS, now, now);
            fresh.write(directory);
            return new StoreWriter(directory, fresh);
        }
        deleteTemporaryFiles(directory);
        List<ShardInfo> intact = new ArrayList<>();
        for (ShardInfo shard : stored.shards()) {
            if (shardFilesIntact(directory, stored, shard)) {
                intact.add(shard);
            }
        }
        StoreWriter writer = new StoreWriter(directory, stored);
        if (intact.size() != stored.shards().size()) {
            writer.manifest = stored.withProgress(intact, StoreManifest.IN_PROGRESS, stored.createdAt(), now);
            writer.manifest.write(directory);
        }
        return writer;
    }

    public Path directory() {
        return directory;
    }

    public StoreManifest manifest() {
        return manifest;
    }

    /** Indices of the shards already committed. */
    public Set<Integer> committedShards() {
        Set<Integer> done = new TreeSet<>();
        manifest.shards().forEach(s -> done.add(s.index()));
        return done;
    }

    /** The file a shard of one tap and layer is committed to. */
    public Path shardPath(ActivationTap tap, int layer, int shard) {
        return StoreLayout.shard(directory, tap, layer, shard);
    }

    /**
     * Writes the per-row index files: {@code labels.npy}, {@code splits.npy}, {@code example_ids.json},
     * and for per-token stores ({@code tokensPerExample} not null) {@code token_index.npy}. They depend only
     * on the data, so a resumed job writes them again with the same bytes.
     */
    public void writeIndex(List<Example> examples, List<Split> splits, int[] tokensPerExample) throws IOException {
        long rows = manifest.rows();
        try (NpyStreamWriter labels = NpyStreamWriter.create(directory.resolve(StoreLayout.LABELS), NpyDType.I64, rows);
                NpyStreamWriter splitCodes = NpyStreamWriter.create(directory.resolve(StoreLayout.SPLITS), NpyDType.I8, rows)) {
            for (int i = 0; i < examples.size(); i++) {
                int copies = tokensPerExample == null ? 1 : tokensPerExample[i];
                for (int t = 0; t < copies; t++) {
                    labels.putLong(examples.get(i).label());
                    splitCodes.putByte((byte) splits.get(i).ordinal());
                }
            }
            labels.commit();
            splitCodes.commit();
        }
        if (tokensPerExample != null) {
            try (NpyStreamWriter index = NpyStreamWriter.create(directory.resolve(StoreLayout.TOKEN_INDEX), NpyDType.I64, rows, 2)) {
                for (int i = 0; i < examples.size(); i++) {
                    for (int t = 0; t < tokensPerExample[i]; t++) {
                        index.putLong(i);
                        index.putLong(t);
                    }
                }
                index.commit();
            }
        }
        writeExampleIds(examples);
    }

    private void writeExampleIds(List<Example> examples) throws IOException {
        Path target = directory.resolve(StoreLayout.EXAMPLE_IDS);
        Path temp = AtomicFiles.temporaryFor(target);
        try (OutputStream out = Files.newOutputStream(temp);
                JsonGenerator json = new JsonFactory().createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartArray();
            for (Example e : examples) {
                json.writeString(e.id());
            }
            json.writeEndArray();
            json.writeRaw('\n');
        }
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        AtomicFiles.commit(temp, target);
    }

    /** Writes {@code config.resolved.yaml}. */
    public void writeResolvedConfig(String yaml) throws IOException {
        AtomicFiles.write(directory.resolve(StoreLayout.RESOLVED_CONFIG), yaml.getBytes(StandardCharsets.UTF_8));
    }

    /** Lists a shard whose files are all in place as committed. */
    public void commitShard(ShardInfo shard) throws IOException {
        manifest = manifest.withShard(shard, now());
        manifest.write(directory);
    }

    /** Marks the store complete once every shard is committed. */
    public void complete() throws IOException {
        if (manifest.shards().size() != manifest.shardCount()) {
            throw new IllegalStateException(manifest.shards().size() + " of " + manifest.shardCount() + " shards committed");
        }
        manifest = manifest.withProgress(manifest.shards(), StoreManifest.COMPLETE, manifest.createdAt(), now());
        manifest.write(directory);
    }

    private static boolean shardFilesIntact(Path directory, StoreManifest manifest, ShardInfo shard) throws IOException {
        NpyDType dtype = manifest.dtype().equals("f32") ? NpyDType.F32 : NpyDType.F16;
        for (StoreManifest.TapInfo tap : manifest.taps()) {
            long expected = NpyHeader.of(dtype, shard.rows(), tap.dim()).fileBytes();
            for (int layer : tap.layers()) {
                Path file = StoreLayout.shard(directory, tap.tap(), layer, shard.index());
                if (!Files.isRegularFile(file) || Files.size(file) != expected) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void deleteTemporaryFiles(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).filter(AtomicFiles::isTemporary).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static boolean isEmptyDirectory(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findAny().isEmpty();
        } catch (IOException e) {
            throw new DatasetException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
