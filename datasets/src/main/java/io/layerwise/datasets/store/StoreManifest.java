package io.layerwise.datasets.store;

import io.layerwise.models.files.AtomicFiles;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code manifest.json}: what an activation store holds and how it was made, and which shards are
 * committed. It is the store's commit marker: it is written {@value #IN_PROGRESS} with no shards when a
 * store is started, and {@value #COMPLETE} with every shard listed by the merge, once each shard's own
 * commit record ({@link ShardEntry}) is in place. Everything except the shard list, the state,
 * the timestamps and the data set's path is the store's <em>identity</em>: a job whose config gives a
 * different identity is refused rather than allowed to mix its rows into the store.
 *
 * @param format layout version, {@value #FORMAT}
 * @param model the model the activations come from
 * @param dataset the data set the rows come from
 * @param splits how examples were split, and how many went where
 * @param taps what was captured, with each tap's width and layers
 * @param pooling {@code mean}, {@code last}, {@code max} or {@code none} (one row per token)
 * @param maxLength tokens kept per text
 * @param truncation whether longer texts were cut (otherwise they were refused)
 * @param paddingSide {@code left} or {@code right}
 * @param batchSize sequences per forward pass (it changes the last bits of the activations)
 * @param dtype {@code f16} or {@code f32}
 * @param examples examples in the store
 * @param rows rows per layer: examples, or tokens when {@code pooling} is {@code none}
 * @param shardSize examples per shard (the last shard may hold fewer)
 * @param shardCount shards per layer when complete
 * @param shards the committed shards, by index (empty until the merge completes the store)
 * @param state {@value #IN_PROGRESS} or {@value #COMPLETE}
 * @param createdAt when the store was started (ISO-8601, UTC)
 * @param updatedAt when this manifest was written
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StoreManifest(
        String format,
        ModelInfo model,
        DatasetInfo dataset,
        SplitInfo splits,
        List<TapInfo> taps,
        String pooling,
        int maxLength,
        boolean truncation,
        String paddingSide,
        int batchSize,
        String dtype,
        long examples,
        long rows,
        int shardSize,
        int shardCount,
        List<ShardInfo> shards,
        String state,
        String createdAt,
        String updatedAt) {

    public static final String FORMAT = "layerwise-activation-store/1";
    public static final String IN_PROGRESS = "in_progress";
    public static final String COMPLETE = "complete";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    /** Fields that change as a job runs, or that may differ without changing what the rows are. */
    private static final List<String> NOT_IDENTITY = List.of("shards", "state", "created_at", "updated_at");

    /**
     * @param id bundled encoder name or the model directory's absolute path
     * @param weightFingerprint {@code sha256:} of the weights
     * @param modelType the config's {@code model_type}
     * @param numLayers blocks L
     * @param hiddenSize residual width H
     * @param precision arithmetic of the linear layers ({@code f32} or {@code bf16}): it changes the activations
     */
    public record ModelInfo(String id, String weightFingerprint, String modelType, int numLayers, int hiddenSize,
            String precision) {}

    /**
     * @param path the data set's path as the config gave it (informative, not identity)
     * @param format the reader: {@code jigsaw}, {@code csv}, {@code jsonl}, {@code mmlu}, {@code gsm8k}
     * @param fingerprint content hash of the files and reader settings
     */
    public record DatasetInfo(String path, String format, String fingerprint) {}

    /**
     * @param train share of each class given to training
     * @param validation share given to validation
     * @param test share given to test
     * @param seed seed of the stratified split
     * @param counts examples per split, by split name
     */
    public record SplitInfo(double train, double validation, double test, long seed, Map<String, Long> counts) {}

    /**
     * @param name {@code residual}, {@code heads}, {@code mlp} or {@code attention_input}
     * @param dim width of one row
     * @param layers the layer indices stored, ascending
     */
    public record TapInfo(String name, int dim, List<Integer> layers) {
        public TapInfo {
            layers = List.copyOf(layers);
        }

        public ActivationTap tap() {
            return ActivationTap.byName(name).orElseThrow(() -> new DatasetException("unknown tap '" + name
                    + "' in a store manifest; this Layerwise reads " + ActivationTap.names()));
        }
    }

    /**
     * @param index shard number k
     * @param firstExample first example of the shard
     * @param examples examples in the shard
     * @param firstRow first row of the shard
     * @param rows rows in the shard (its examples' tokens for per-token stores)
     */
    public record ShardInfo(int index, long firstExample, long examples, long firstRow, long rows) {}

    public StoreManifest {
        Objects.requireNonNull(format, "format");
        taps = List.copyOf(taps);
        shards = shards.stream().sorted(Comparator.comparingInt(ShardInfo::index)).toList();
    }

    public boolean complete() {
        return COMPLETE.equals(state);
    }

    /** The entry of one tap. */
    public TapInfo tap(ActivationTap tap) {
        return taps.stream().filter(t -> t.name().equals(tap.configName())).findFirst().orElseThrow(() ->
                new DatasetException("this store holds " + taps.stream().map(TapInfo::name).toList() + ", not "
                        + tap.configName()));
    }

    /** This manifest with the given shards, state and timestamps. */
    public StoreManifest withProgress(List<ShardInfo> committed, String newState, String created, String now) {
        return new StoreManifest(format, model, dataset, splits, taps, pooling, maxLength, truncation, paddingSide,
                batchSize, dtype, examples, rows, shardSize, shardCount, committed, newState, created, now);
    }

    /** This manifest with another weight fingerprint (null before the model is loaded). */
    public StoreManifest withWeightFingerprint(String fingerprint) {
        ModelInfo m = new ModelInfo(model.id(), fingerprint, model.modelType(), model.numLayers(), model.hiddenSize(),
                model.precision());
        return new StoreManifest(format, m, dataset, splits, taps, pooling, maxLength, truncation, paddingSide,
                batchSize, dtype, examples, rows, shardSize, shardCount, shards, state, createdAt, updatedAt);
    }

    /**
     * The identity fields in which {@code requested} differs from this (stored) manifest, each as
     * {@code field: store has X, config gives Y}; empty when the two describe the same rows. A null
     * field of {@code requested} (the weight fingerprint before the model is loaded) is not compared.
     */
    public List<String> identityDifferences(StoreManifest requested) {
        List<String> differences = new ArrayList<>();
        diff("", identity(this), identity(requested), differences);
        return differences;
    }

    /**
     * {@code sha256:} of the identity fields (everything but the shard list, state, timestamps and data
     * path): equal for two manifests exactly when {@link #identityDifferences} finds nothing between them
     * (with the weight fingerprint known). Shard entries carry it.
     */
    public String identityFingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity(this).toString().getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static ObjectNode identity(StoreManifest manifest) {
        ObjectNode tree = JSON.valueToTree(manifest);
        tree.remove(NOT_IDENTITY);
        ((ObjectNode) tree.get("dataset")).remove("path");
        return tree;
    }

    private static void diff(String prefix, JsonNode stored, JsonNode requested, List<String> out) {
        if (requested == null || requested.isNull()) {
            return;
        }
        if (stored != null && stored.isObject() && requested.isObject()) {
            Iterator<String> names = requested.fieldNames();
            while (names.hasNext()) {
                String name = names.next();
                diff(prefix.isEmpty() ? name : prefix + "." + name, stored.get(name), requested.get(name), out);
            }
            return;
        }
        if (!requested.equals(stored)) {
            out.add(prefix + ": store has " + (stored == null ? "nothing" : stored) + ", config gives " + requested);
        }
    }

    /** Reads {@code manifest.json} from a store directory. */
    public static StoreManifest read(Path store) {
        Path file = store.resolve(StoreLayout.MANIFEST);
        try {
            StoreManifest manifest = JSON.readValue(file.toFile(), StoreManifest.class);
            if (!FORMAT.equals(manifest.format())) {
                throw new DatasetException(file + " has format '" + manifest.format() + "'; this Layerwise reads "
                        + FORMAT + ". Extract the store again with this version.");
            }
            return manifest;
        } catch (NoSuchFileException e) {
            throw new DatasetException(store + " is not an activation store: it has no " + StoreLayout.MANIFEST, e);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether a directory holds a manifest. */
    public static boolean exists(Path store) {
        return Files.isRegularFile(store.resolve(StoreLayout.MANIFEST));
    }

    /** Replaces {@code manifest.json} in {@code store} atomically. */
    public void write(Path store) throws IOException {
        byte[] bytes = (JSON.writeValueAsString(this) + "\n").getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(store.resolve(StoreLayout.MANIFEST), bytes);
    }
}
