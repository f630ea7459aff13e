package io.layerwise.datasets.extract;

import io.layerwise.datasets.DatasetException;
import io.layerwise.datasets.DatasetSplit;
import io.layerwise.datasets.Example;
import io.layerwise.datasets.LoadedDataset;
import io.layerwise.datasets.Split;
import io.layerwise.datasets.StratifiedSplitter;
import io.layerwise.datasets.config.ConfigLoader;
import io.layerwise.datasets.config.ConfigSource;
import io.layerwise.datasets.config.LoadedConfig;
import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.datasets.store.NpyDType;
import io.layerwise.datasets.store.NpyHeader;
import io.layerwise.datasets.store.StoreManifest;
import io.layerwise.datasets.store.StoreManifest.ShardInfo;
import io.layerwise.datasets.store.StoreWriter;
import io.layerwise.models.ModelException;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.tokenizer.TextTokenizer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Everything an extraction will do, worked out before the model's weights are loaded: the config is
 * checked against the model's shape (layers, lengths) and the files it names, the data set is read,
 * split and tokenized (token counts only), shards and batches are laid out, the bytes on disk counted,
 * and an existing store at the output is checked to hold the same configuration. Every problem found
 * here is reported with the config file, line and field; {@code --dry-run} prints {@link #describe()}
 * and stops.
 */
public final class ExtractionPlan {

    /**
     * One shard: a fixed range of examples, and the rows they become.
     *
     * @param index shard number k
     * @param firstExample first example, k * shard_size
     * @param examples examples in the shard
     * @param firstRow first row in the store
     * @param rows rows of the shard (examples, or their tokens when not pooled)
     */
    public record ShardPlan(int index, int firstExample, int examples, long firstRow, long rows) {
        ShardInfo info() {
            return new ShardInfo(index, firstExample, examples, firstRow, rows);
        }
    }

    /**
     * One tap as stored.
     *
     * @param tap what is captured
     * @param dim width of a row
     * @param layers layer indices stored
     */
    public record TapPlan(ActivationTap tap, int dim, List<Integer> layers) {}

    private final ExtractionConfig config;
    private final ConfigSource source;
    private final ModelFiles model;
    private final LoadedDataset<Example> data;
    private final List<Split> splits;
    private final int[] tokens;
    private final int truncated;
    private final List<TapPlan> taps;
    private final List<ShardPlan> shards;
    private final long batches;
    private final long paddedTokens;
    private final long bytesOnDisk;
    private final StoreManifest requested;
    private final StoreManifest existing;
    private final Set<Integer> committed;

    private ExtractionPlan(ExtractionConfig config, ConfigSource source, ModelFiles model, LoadedDataset<Example> data,
            List<Split> splits, int[] tokens, int truncated, List<TapPlan> taps) {
        this.config = config;
        this.source = source;
        this.model = model;
        this.data = data;
        this.splits = splits;
        this.tokens = tokens;
        this.truncated = truncated;
        this.taps = taps;
        this.shards = layOutShards();
        long batchCount = 0;
        long slots = 0;
        for (ShardPlan shard : shards) {
            int[] lengths = shardLengths(shard);
            List<int[]> shardBatches = LengthBuckets.batches(lengths, config.batchSize());
            batchCount += shardBatches.size();
            slots += LengthBuckets.paddedTokens(lengths, shardBatches);
        }
        this.batches = batchCount;
        this.paddedTokens = slots;
        this.bytesOnDisk = countBytes();
        this.requested = buildManifest();
        try {
            this.existing = StoreWriter.check(output(), requested);
        } catch (DatasetException e) {
            throw source.error("output", e.getMessage());
        }
        this.committed = existing == null ? Set.of() : Set.copyOf(StoreWriter.committedShards(output(), existing));
    }

    /**
     * Checks and plans a loaded config. Reads the data set and the model's config and tokenizer, never
     * its weights.
     *
     * @throws DatasetException naming the config file, line and field (or the data file and row) of a problem
     */
    public static ExtractionPlan create(LoadedConfig<ExtractionConfig> loaded) {
        ConfigSource source = loaded.source();
        ModelFiles model;
        try {
            model = ModelFiles.resolve(loaded.value().model());
        } catch (ModelException e) {
            throw source.error("model", e.getMessage());
        }
        TransformerSpec spec = model.spec();
        if (!Files.isRegularFile(model.tokenizer())) {
            throw source.error("model", model.directory() + " has no tokenizer.json, which extraction needs to tokenize texts");
        }
        ExtractionConfig config = loaded.value().maxLength() != null ? loaded.value()
                : loaded.value().withMaxLength(Math.min(ExtractionConfig.DEFAULT_MAX_LENGTH, spec.maxPositions()));
        List<TapPlan> taps = new ArrayList<>();
        for (ActivationTap tap : config.taps()) {
            int count = tap.layerCount(spec);
            List<Integer> layers = config.layers().resolve(count);
            for (int layer : layers) {
                if (layer >= count) {
                    throw source.error("layers", "layer " + layer + " does not exist for tap " + tap.configName() + " of "
                            + model.id() + ", whose layers are 0.." + (count - 1));
                }
            }
            taps.add(new TapPlan(tap, tap.dim(spec), layers));
        }
        if (config.maxLength() > spec.maxPositions()) {
            throw source.error("max_length", config.maxLength() + " is more than the " + spec.maxPositions()
                    + " positions of " + model.id());
        }
        requireExists(source, "dataset.path", config.dataset().path());
        if (config.dataset().testLabels() != null) {
            requireExists(source, "dataset.test_labels", config.dataset().testLabels());
        }
        if (Files.isRegularFile(Path.of(config.output()))) {
            throw source.error("output", config.output() + " is a file; the store is a directory");
        }
        LoadedDataset<Example> data = ExtractionDataset.load(config.dataset());
        if (data.items().isEmpty()) {
            throw source.error("dataset.path", config.dataset().path() + " holds no examples");
        }
        DatasetSplit<Example> split = new StratifiedSplitter(config.splits().fractions(), config.splits().seed())
                .split(data.items(), Example::label);
        int[] tokens = new int[data.items().size()];
        int truncated = 0;
        try (TextTokenizer tokenizer = TextTokenizer.load(model.tokenizer())) {
            for (int i = 0; i < tokens.length; i++) {
                Example e = data.items().get(i);
                int n = tokenizer.encode(e.text(), 0).length;
                if (n == 0) {
                    throw new DatasetException(describe(e, config) + " tokenizes to no tokens; remove it, or fix its text");
                }
                if (n > config.maxLength()) {
                    if (!config.truncation()) {
                        throw source.error("truncation", "false, but " + describe(e, config) + " has " + n
                                + " tokens, more than max_length " + config.maxLength()
                                + "; raise max_length or set truncation: true");
                    }
                    n = config.maxLength();
                    truncated++;
                }
                tokens[i] = n;
            }
        }
        return new ExtractionPlan(config, source, model, data, split.splits(), tokens, truncated, List.copyOf(taps));
    }

    private static void requireExists(ConfigSource source, String field, String path) {
        if (!Files.exists(Path.of(path))) {
            throw source.error(field, "no such file or directory: " + path + " (relative paths start at "
                    + Path.of("").toAbsolutePath() + ")");
        }
    }

    private static String describe(Example e, ExtractionConfig config) {
        return "example '" + e.id() + "' (" + config.dataset().path() + (e.line() > 0 ? " line " + e.line() : "") + ")";
    }

    private List<ShardPlan> layOutShards() {
        List<ShardPlan> out = new ArrayList<>();
        long row = 0;
        int n = tokens.length;
        for (int k = 0, first = 0; first < n; k++, first += config.shardSize()) {
            int count = Math.min(config.shardSize(), n - first);
            long rows = count;
            if (config.pooling() == Pooling.NONE) {
                rows = 0;
                for (int i = first; i < first + count; i++) {
                    rows += tokens[i];
                }
            }
            out.add(new ShardPlan(k, first, count, row, rows));
            row += rows;
        }
        return List.copyOf(out);
    }

    private long countBytes() {
        NpyDType dtype = config.dtype().npy();
        long bytes = 0;
        for (ShardPlan shard : shards) {
            for (TapPlan tap : taps) {
                bytes += tap.layers().size() * NpyHeader.of(dtype, shard.rows(), tap.dim()).fileBytes();
            }
        }
        long rows = rows();
        bytes += NpyHeader.of(NpyDType.I64, rows).fileBytes() + NpyHeader.of(NpyDType.I8, rows).fileBytes();
        if (config.pooling() == Pooling.NONE) {
            bytes += NpyHeader.of(NpyDType.I64, rows, 2).fileBytes();
        }
        return bytes;
    }

    private StoreManifest buildManifest() {
        TransformerSpec spec = model.spec();
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            counts.put(s.name().toLowerCase(Locale.ROOT), splits.stream().filter(x -> x == s).count());
        }
        SplitConfig sc = config.splits();
        return new StoreManifest(StoreManifest.FORMAT,
                new StoreManifest.ModelInfo(model.id(), null, spec.modelType(), spec.numLayers(), spec.hiddenSize(),
                        config.precision().label()),
                new StoreManifest.DatasetInfo(config.dataset().path(), config.dataset().format().configName(),
                        data.fingerprint().value()),
                new StoreManifest.SplitInfo(sc.train(), sc.validation(), sc.test(), sc.seed(), counts),
                taps.stream().map(t -> new StoreManifest.TapInfo(t.tap().configName(), t.dim(), t.layers())).toList(),
                config.pooling().configName(), config.maxLength(), config.truncation(),
                paddingSide().name().toLowerCase(Locale.ROOT), config.batchSize(), config.dtype().configName(),
                tokens.length, rows(), config.shardSize(), shards.size(), List.of(), StoreManifest.IN_PROGRESS,
                null, null);
    }

    public ExtractionConfig config() {
        return config;
    }

    public ConfigSource source() {
        return source;
    }

    public ModelFiles model() {
        return model;
    }

    public List<Example> examples() {
        return data.items();
    }

    public List<Split> splits() {
        return splits;
    }

    public List<TapPlan> taps() {
        return taps;
    }

    public List<ShardPlan> shards() {
        return shards;
    }

    public PaddingSide paddingSide() {
        return config.paddingSide().side(model.spec());
    }

    public Path output() {
        return Path.of(config.output());
    }

    /** Token count of each example, after truncation. */
    public int[] tokenCounts() {
        return tokens.clone();
    }

    /** Token counts of one shard's examples. */
    int[] shardLengths(ShardPlan shard) {
        int[] lengths = new int[shard.examples()];
        System.arraycopy(tokens, shard.firstExample(), lengths, 0, lengths.length);
        return lengths;
    }

    /** Rows per layer: examples, or tokens when not pooled. */
    public long rows() {
        long rows = 0;
        for (ShardPlan s : shards) {
            rows += s.rows();
        }
        return rows;
    }

    /** Real tokens of all examples. */
    public long tokens() {
        long n = 0;
        for (int t : tokens) {
            n += t;
        }
        return n;
    }

    public long batches() {
        return batches;
    }

    public long bytesOnDisk() {
        return bytesOnDisk;
    }

    /** The manifest the run will write, without the weight fingerprint (known once the model is loaded). */
    public StoreManifest requestedManifest() {
        return requested;
    }

    /** The store already at the output, or null when it will be created. */
    public StoreManifest existingStore() {
        return existing;
    }

    /** Shards of the existing store already committed when planned. */
    public Set<Integer> committedShards() {
        return committed;
    }

    /**
     * The config with defaults and overrides applied and {@code max_length} resolved, as YAML, without its
     * {@code execution} section: how the shards were computed is not part of what they are, and every
     * engine writes the same store.
     */
    public String resolvedConfigYaml() {
        return ConfigLoader.toYaml(config, "execution");
    }

    /** The plan in a few lines, as {@code --dry-run} prints it. */
    public String describe() {
        TransformerSpec spec = model.spec();
        StringBuilder out = new StringBuilder();
        line(out, "config", source.file() + (source.overrides().isEmpty() ? "" : " with " + source.overrides().values()));
        line(out, "model", String.format("%s (%s, %d layers, hidden %d)", model.id(), spec.modelType(), spec.numLayers(),
                spec.hiddenSize()));
        line(out, "dataset", String.format("%s (%s): %,d examples, %s", config.dataset().path(),
                config.dataset().format().configName(), tokens.length, data.fingerprint()));
        if (data.report().rowsSkipped() + data.report().rowsExcluded() > 0) {
            line(out, "", String.format("%,d bad rows skipped, %,d rows excluded by the format",
                    data.report().rowsSkipped(), data.report().rowsExcluded()));
        }
        StoreManifest.SplitInfo split = requested.splits();
        line(out, "splits", String.format("train %,d, validation %,d, test %,d (stratified by label, seed %d)",
                split.counts().get("train"), split.counts().get("validation"), split.counts().get("test"), split.seed()));
        for (TapPlan tap : taps) {
            line(out, "tap", String.format("%s, dim %d, layers %s", tap.tap().configName(), tap.dim(), ranges(tap.layers())));
        }
        line(out, "pooling", config.pooling().configName() + String.format(" -> %,d rows per layer", rows()));
        line(out, "tokens", String.format("%,d (max_length %d, %,d texts truncated); %s padding; %.1f%% of batch slots are pads",
                tokens(), config.maxLength(), truncated, paddingSide().name().toLowerCase(Locale.ROOT),
                paddedTokens == 0 ? 0.0 : 100.0 * (paddedTokens - tokens()) / paddedTokens));
        line(out, "batches", String.format("%,d of up to %d texts, in %,d shard(s) of up to %,d texts", batches,
                config.batchSize(), shards.size(), config.shardSize()));
        line(out, "on disk", String.format("%s (%s) in %s", bytes(bytesOnDisk), config.dtype().configName(), config.output()));
        String state = existing == null ? "new"
                : existing.complete() ? "complete already: nothing to do"
                : String.format("resume: %d of %d shards committed", committed.size(), existing.shardCount());
        line(out, "store", state);
        line(out, "execution", execution());
        return out.toString();
    }

    private String execution() {
        ExecutionConfig e = config.execution();
        if (e.engine() == ExecutionConfig.Engine.LOCAL) {
            return "local (this process; --shard i/N for one slice of the shards)";
        }
        return String.format("%s (master %s, %d task(s), %s thread(s) per task)", e.engine().configName(),
                e.spark().master() == null ? "from spark-submit" : e.spark().master(),
                e.shards() == null ? shards.size() : Math.min(e.shards(), shards.size()),
                e.threadsPerTask() == null ? "default" : e.threadsPerTask().toString());
    }

    private static void line(StringBuilder out, String key, String value) {
        out.append(String.format("  %-9s %s%n", key, value));
    }

    /** {@code 0-6} or {@code 0, 3, 6}. */
    private static String ranges(List<Integer> layers) {
        boolean contiguous = layers.get(layers.size() - 1) - layers.get(0) == layers.size() - 1;
        return contiguous && layers.size() > 2 ? layers.get(0) + "-" + layers.get(layers.size() - 1) : layers.toString();
    }

    static String bytes(long n) {
        if (n < 1 << 20) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        if (n < 1L << 30) {
            return String.format("%.1f MiB", n / (double) (1 << 20));
        }
        return String.format("%.2f GiB", n / (double) (1L << 30));
    }
}
