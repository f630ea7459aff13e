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
 * Creates an activation store, or reopens one to resume it, commits its shards and completes it. A store
 * is reopened only when its manifest has the identity the job asks for (same model weights, data set,
 * split, taps, layers, pooling, dtype, lengths, batch and shard sizes); anything else is refused with the
 * differing fields named, so rows of two configurations never mix.
 *
 * <p>Commit protocol, the same for one process and for many: the first writer creates the manifest
 * ({@value StoreManifest#IN_PROGRESS}, no shards). Each shard's files are written to temporary names and
 * renamed into place ({@link ShardWriter}); then {@link #commitShard} writes the shard's own entry file
 * ({@link ShardEntry}). Writers of different shards share no file, so they may run in separate processes
 * at once. {@link #complete} (the merge) checks that every shard has an intact entry, then rewrites the
 * manifest {@value StoreManifest#COMPLETE} with every shard listed: the store's commit marker. Every file
 * is a deterministic function of the config, data and model, so whatever point a job is killed at, and
 * however often an attempt is repeated, running it again ends with the same bytes as an uninterrupted run.
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

    /**
     * Opens the store for {@code requested} (which must carry the weight fingerprint), creating it when
     * new. Safe to call from several processes and threads at once: they write the same manifest.
     */
    public static StoreWriter openOrCreate(Path directory, StoreManifest requested) throws IOException {
        if (requested.model().weightFingerprint() == null) {
            throw new IllegalArgumentException("the weight fingerprint must be known before a store is written");
        }
        // Threads of one JVM (Spark tasks) share the temporary name of the manifest (name + pid): one at a time.
        synchronized (StoreWriter.class) {
            StoreManifest stored = check(directory, requested);
            if (stored != null) {
                return new StoreWriter(directory, stored);
            }
            Files.createDirectories(directory);
            String now = now();
            StoreManifest fresh = requested.withProgress(List.of(), StoreManifest.IN_PROGRESS, now, now);
            fresh.write(directory);
            return new StoreWriter(directory, fresh);
        }
    }

    /**
     * Opens an existing store to complete it, without knowing the weight fingerprint (the merge does not
     * load the model): the stored manifest's identity must equal {@code requested}'s in every other field.
     */
    public static StoreWriter open(Path directory, StoreManifest requested) {
        StoreManifest stored = check(directory, requested);
        if (stored == null) {
            throw new DatasetException(directory + " holds no store yet: no shard of it has been extracted");
        }
        return new StoreWriter(directory, stored);
    }

    public Path directory() {
        return directory;
    }

    public StoreManifest manifest() {
        return manifest;
    }

    /** Indices of the shards already committed. */
    public Set<Integer> committedShards() {
        return committedShards(directory, manifest);
    }

    /**
     * Indices of the committed shards of the store {@code manifest} describes: those listed by a complete
     * manifest, or else those whose entry has the store's identity and whose files are all intact.
     */
    public static Set<Integer> committedShards(Path directory, StoreManifest manifest) {
        Set<Integer> done = new TreeSet<>();
        if (manifest.complete()) {
            manifest.shards().forEach(s -> done.add(s.index()));
            return done;
        }
        String identity = manifest.identityFingerprint();
        for (int k = 0; k < manifest.shardCount(); k++) {
            ShardEntry entry = ShardEntry.read(directory, k).orElse(null);
            if (entry != null && entry.identity().equals(identity) && entry.intact(directory)) {
                done.add(k);
            }
        }
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

    /** Commits a shard whose files are all in place by writing its entry. */
    public void commitShard(ShardInfo shard) throws IOException {
        ShardEntry.of(manifest, shard).write(directory);
    }

    /**
     * The merge: checks that every shard has an intact entry of this store, deletes the temporaries of
     * killed writers, and marks the store complete with every shard listed. Call it once no writer runs.
     *
     * @throws DatasetException naming every shard that is not committed
     */
    public void complete() throws IOException {
        if (manifest.complete()) {
            return;
        }
        List<ShardInfo> shards = new ArrayList<>();
        List<Integer> missing = new ArrayList<>();
        String identity = manifest.identityFingerprint();
        for (int k = 0; k < manifest.shardCount(); k++) {
            ShardEntry entry = ShardEntry.read(directory, k).orElse(null);
            if (entry != null && entry.identity().equals(identity) && entry.intact(directory)) {
                shards.add(entry.shard());
            } else {
                missing.add(k);
            }
        }
        if (!missing.isEmpty()) {
            throw new DatasetException(directory + ": " + missing.size() + " of " + manifest.shardCount()
                    + " shards are not committed, so the store cannot be completed: shard(s) " + ranges(missing)
                    + " (no intact " + StoreLayout.ENTRIES + "/shard_NNNNN.json). Extract them (the same command without"
                    + " --merge computes only what is missing), then merge again.");
        }
        deleteTemporaryFiles();
        manifest = manifest.withProgress(shards, StoreManifest.COMPLETE, manifest.createdAt(), now());
        manifest.write(directory);
    }

    /**
     * Deletes temporary files left by killed writers. Only for a process that owns the whole store (a plain
     * extraction, a merge): a temporary may belong to a writer still running elsewhere.
     */
    public void deleteTemporaryFiles() throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(Files::isRegularFile).filter(AtomicFiles::isTemporary).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** {@code 0-3, 7, 9-10}: shard numbers as a user reads them. */
    static String ranges(List<Integer> sorted) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < sorted.size(); ) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            parts.add(j == i ? String.valueOf(sorted.get(i)) : sorted.get(i) + "-" + sorted.get(j));
            i = j + 1;
        }
        return String.join(", ", parts);
    }

    /** Empty but for temporaries: another process may be writing the manifest this very moment. */
    private static boolean isEmptyDirectory(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.allMatch(AtomicFiles::isTemporary);
        } catch (IOException e) {
            throw new DatasetException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
