package io.layerwise.models.runtime;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.layerwise.models.ModelException;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.families.ArchitectureAdapter;
import io.layerwise.models.families.WeightBinder;
import io.layerwise.models.nn.TransformerWeights;
import io.layerwise.models.precision.Precision;
import io.layerwise.models.tokenizer.TextTokenizer;
import io.layerwise.models.weights.SafetensorsCheckpoint;
import io.layerwise.models.weights.WeightSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frozen transformer loaded from a Hugging Face model directory, ready to run batched forward
 * passes with taps and interventions. No gradients are ever recorded: weights are read-only arrays
 * and every pass runs in eval mode (no dropout). The {@link Precision} chosen at load decides how the
 * linear layers compute ({@code f32} by default, exact; {@code bf16} about twice as fast on CPUs with
 * bf16 matrix instructions); bf16 checkpoints stay memory-mapped in bf16 either way. Before anything
 * is mapped, a {@link MemoryPreflight} refuses workloads that cannot fit in memory.
 *
 * <pre>{@code
 * try (FrozenTransformer model = FrozenTransformer.load(Path.of("fixtures/llama"));
 *      ForwardResult r = model.forward(TokenBatch.single(new long[] {1, 17, 42}), Taps.of(TapKind.LOGITS))) {
 *     float[] logits = r.logits().toFloatArray();
 * }
 * }</pre>
 */
public final class FrozenTransformer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrozenTransformer.class);

    private final String id;
    private final TransformerSpec spec;
    private final TransformerWeights weights;
    private final WeightSource source;
    private final NDManager manager;
    private final TextTokenizer tokenizer;
    private final Precision precision;
    /** The model this one was derived from (sharing its weights and tokenizer), or null. */
    private final FrozenTransformer base;

    private FrozenTransformer(String id, TransformerSpec spec, TransformerWeights weights, WeightSource source,
            NDManager manager, TextTokenizer tokenizer, Precision precision) {
        this(id, spec, weights, source, manager, tokenizer, precision, null);
    }

    private FrozenTransformer(String id, TransformerSpec spec, TransformerWeights weights, WeightSource source,
            NDManager manager, TextTokenizer tokenizer, Precision precision, FrozenTransformer base) {
        this.id = id;
        this.precision = precision;
        this.spec = spec;
        this.weights = weights;
        this.source = source;
        this.manager = manager;
        this.tokenizer = tokenizer;
        this.base = base;
    }

    /**
     * A model with some weights replaced (e.g. pruned copies), sharing everything else with this one.
     * {@code replacements} must live in {@code owned}, a sub-manager of {@link #newWeightManager()};
     * closing the derived model frees only them, and this model stays usable throughout.
     */
    FrozenTransformer derive(String derivedId, TransformerWeights replaced, NDManager owned) {
        return new FrozenTransformer(derivedId, spec, replaced, source, owned, tokenizer, precision, this);
    }

    /** A manager for weights derived from this model's, freed with the derived model (or with this one). */
    NDManager newWeightManager() {
        return manager.newSubManager();
    }

    TransformerWeights weights() {
        return weights;
    }

    /** Loads a Hugging Face model directory ({@code config.json}, safetensors, optional {@code tokenizer.json}) in f32. */
    public static FrozenTransformer load(Path directory) {
        return load(directory, Precision.F32, Workload.minimal());
    }

    /**
     * Loads a Hugging Face model directory in {@code precision}, after checking that {@code workload}
     * fits in the memory available (a {@link ModelException} saying what would fit otherwise).
     */
    public static FrozenTransformer load(Path directory, Precision precision, Workload workload) {
        if (!Files.isDirectory(directory)) {
            throw new ModelException(directory + " is not a directory: expected a Hugging Face model directory "
                    + "with config.json and model.safetensors");
        }
        HfConfig config = HfConfig.read(directory.resolve("config.json"));
        return load(directory.toAbsolutePath().normalize().toString(), config,
                () -> SafetensorsCheckpoint.open(directory), directory.resolve("tokenizer.json"), precision, workload);
    }

    /**
     * Loads a model from a config and a weight source of any format (the bundled ONNX encoders come
     * through here). The config is validated before the weights are opened; every tensor must then be
     * bound or explicitly ignorable for the family.
     */
    public static FrozenTransformer load(String id, HfConfig config, Supplier<WeightSource> openWeights, Path tokenizerJson) {
        return load(id, config, openWeights, tokenizerJson, Precision.F32, Workload.minimal());
    }

    /** As {@link #load(String, HfConfig, Supplier, Path)}, in {@code precision}, after the memory preflight for {@code workload}. */
    public static FrozenTransformer load(String id, HfConfig config, Supplier<WeightSource> openWeights, Path tokenizerJson,
            Precision precision, Workload workload) {
        ArchitectureAdapter adapter = ArchitectureAdapter.forConfig(config);
        TransformerSpec spec = adapter.spec(config);
        WeightSource source = openWeights.get();
        MemoryEstimate needed = MemoryPreflight.check(id, spec, source, adapter::ignorable, precision, workload,
                MemoryPreflight.availableBytes());
        LOG.debug("{}: memory preflight passed, needs {}", id, needed.describe());
        NativeThreads.configure();
        NDManager manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
        try {
            WeightBinder binder = new WeightBinder(source, manager, precision);
            TransformerWeights weights = adapter.bind(spec, binder);
            binder.requireAllUsed(adapter::ignorable);
            List<String> skipped = source.names().stream().filter(adapter::ignorable).toList();
            if (!skipped.isEmpty()) {
                LOG.info("{}: skipped {} tensor(s) outside the {} encoder/decoder stack: {}", id, skipped.size(),
                        spec.modelType(), skipped.size() > 6 ? skipped.subList(0, 6) + " ..." : skipped);
            }
            TextTokenizer tokenizer = Files.isRegularFile(tokenizerJson) ? TextTokenizer.load(tokenizerJson) : null;
            return new FrozenTransformer(id, spec, weights, source, manager, tokenizer, precision);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    public String id() {
        return id;
    }

    public TransformerSpec spec() {
        return spec;
    }

    /** The precision the linear layers compute in. */
    public Precision precision() {
        return precision;
    }

    /** Content hash of the weights (computed on first call), for provenance. */
    public String weightFingerprint() {
        return source.fingerprint();
    }

    /**
     * Block {@code layer}'s attention output projection {@code W_o} as float32, row-major
     * {@code [H, heads * headDim]} (Hugging Face layout; widened when stored in bf16): what head
     * routers reconstruct the attention output with.
     */
    public float[] attentionOutputWeight(int layer) {
        return weights.blocks().get(layer).attention().output().weight().toFloatArray();
    }

    public Optional<TextTokenizer> tokenizer() {
        return Optional.ofNullable(tokenizer);
    }

    /** The tokenizer, or an error saying the model directory has none. */
    public TextTokenizer requireTokenizer() {
        if (tokenizer == null) {
            throw new ModelException(id + " has no tokenizer.json: pass token ids instead of text");
        }
        return tokenizer;
    }

    /** Tokenizes texts (each cut to {@code maxLength} tokens when positive) into a padded batch. */
    public TokenBatch tokenize(List<String> texts, int maxLength, PaddingSide side) {
        TextTokenizer t = requireTokenizer();
        List<long[]> sequences = new ArrayList<>(texts.size());
        for (String text : texts) {
            long[] ids = t.encode(text, maxLength);
            if (ids.length == 0) {
                throw new ModelException("a text tokenized to zero tokens: " + abbreviate(text));
            }
            sequences.add(ids);
        }
        return TokenBatch.of(sequences, side, spec.padTokenId());
    }

    private static String abbreviate(String text) {
        return '"' + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + '"';
    }

    public ForwardResult forward(TokenBatch batch, Taps taps) {
        return forward(batch, taps, Interventions.none());
    }

    /** Runs the batch, keeping what {@code taps} asks for; close the result to free its memory. */
    public ForwardResult forward(TokenBatch batch, Taps taps, Interventions interventions) {
        return new TransformerForward(spec, weights, taps, interventions).run(manager, batch, null);
    }

    /**
     * Runs the batch as the continuation of the tokens in {@code cache} (empty for a prompt), and
     * appends its keys and values to it. Decoders only.
     */
    public ForwardResult forward(TokenBatch batch, Taps taps, Interventions interventions, KvCache cache) {
        return new TransformerForward(spec, weights, taps, interventions).run(manager, batch, cache);
    }

    /** An empty KV cache for this model; close it when the sequence is done. */
    public KvCache newCache() {
        return new KvCache(manager, spec.numLayers());
    }

    @Override
    public void close() {
        if (tokenizer != null && base == null) {
            tokenizer.close();
        }
        manager.close();
    }
}
