package io.layerwise.models.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import io.layerwise.models.ModelException;
import io.layerwise.models.config.AttentionSpec.LayerAttention;
import io.layerwise.models.config.RopeSpec;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.config.TransformerSpec.BlockLayout;
import io.layerwise.models.nn.AttentionWeights;
import io.layerwise.models.nn.BlockWeights;
import io.layerwise.models.nn.EmbeddingWeights;
import io.layerwise.models.nn.Linear;
import io.layerwise.models.nn.MlpWeights;
import io.layerwise.models.nn.RotaryEmbedding;
import io.layerwise.models.nn.TransformerWeights;
import io.layerwise.models.runtime.ForwardResult.Key;
import java.util.Collections;
import java.util.HashMap;
import java.util.Optional;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One forward pass of the shared transformer over a padded batch, with taps and interventions. The
 * equations follow Hugging Face's eager implementations (cited per method); what differs between
 * families arrives as data in {@link TransformerSpec} and {@link TransformerWeights}.
 *
 * <p>Native memory: everything the pass creates lives in a work manager that is closed at the end;
 * each block runs in an {@link NDScope} so its intermediates are freed as soon as it finishes, and
 * only the captured tensors move to the result's manager.
 */
final class TransformerForward {
    /** Added to masked attention scores: exp underflows to exactly 0, and fully masked rows stay finite. */
    private static final float MASKED = -1e30f;

    private final TransformerSpec spec;
    private final TransformerWeights weights;
    private final Taps taps;
    private final Interventions interventions;
    private final Map<Key, NDArray> captured = new LinkedHashMap<>();
    private final Set<NDArray> keep = Collections.newSetFromMap(new IdentityHashMap<>());

    private int batchSize;
    /** Tokens in this pass (queries). */
    private int width;
    /** Keys attended to: cached tokens plus this pass's. */
    private int keyWidth;
    private KvCache cache;
    private NDManager work;
    private int[][] keyMask;
    private long[][] positions;
    /** Per block: the attention bias (null when nothing is masked) and the rotary embedding (null without RoPE). */
    private NDArray[] layerBias;
    private RotaryEmbedding[] layerRope;

    private record BiasKey(int window, int keys) {}

    TransformerForward(TransformerSpec spec, TransformerWeights weights, Taps taps, Interventions interventions) {
        this.spec = spec;
        this.weights = weights;
        this.taps = taps;
        this.interventions = interventions;
    }

    /**
     * Runs the batch. With a {@code kvCache} the batch continues the cached tokens (decoders only):
     * its keys and values are appended to the cache and every block runs.
     */
    ForwardResult run(NDManager parent, TokenBatch batch, KvCache kvCache) {
        interventions.validate(spec);
        if (kvCache != null && !spec.causal()) {
            throw new ModelException("a KV cache is for decoders; " + spec.modelType() + " is an encoder");
        }
        cache = kvCache;
        batchSize = batch.size();
        width = batch.width();
        positions = cache == null ? batch.positions() : cache.positionsFor(batch);
        keyMask = cache == null ? batch.mask() : cache.keyMaskFor(batch);
        keyWidth = keyMask[0].length;
        NDManager out = parent.newSubManager();
        try (NDManager workManager = parent.newSubManager()) {
            work = workManager;
            prepareAttention();
            NDArray h = ablate(embed(work, batch, positions), 0);
            int blocks = cache == null ? taps.blocksNeeded(spec.numLayers()) : spec.numLayers();
            capture(TapKind.RESIDUAL, 0, h);
            for (int layer = 0; layer < blocks; layer++) {
                NDArray next;
                try (NDScope scope = new NDScope()) {
                    scope.suppressNotUsedWarning();
                    next = interventions.droppedLayers().contains(layer) ? h : block(layer, h);
                    next = ablate(next, layer + 1);
                    NDScope.unregister(next);
                }
                if (next != h && !keep.contains(h)) {
                    h.close();
                }
                h = next;
                if (layer + 1 < spec.numLayers() || weights.finalNorm() == null) {
                    capture(TapKind.RESIDUAL, layer + 1, h);
                }
            }
            if (blocks == spec.numLayers() && weights.finalNorm() != null) {
                finish(h);
            }
            for (NDArray array : keep) {
                array.attach(out);
            }
            if (cache != null) {
                cache.advance(batch, positions);
            }
            return new ForwardResult(out, captured, batch);
        } catch (RuntimeException | Error e) {
            out.close();
            throw e;
        }
    }

    /** Final norm (HF applies it to the last {@code hidden_states} entry) and the LM head. */
    private void finish(NDArray h) {
        Linear head = weights.lmHead() == null ? null : new Linear(weights.lmHead(), null);
        if (taps.wants(TapKind.RESIDUAL, spec.numLayers()) || taps.wants(TapKind.LOGITS)) {
            NDArray normed = weights.finalNorm().apply(h);
            capture(TapKind.RESIDUAL, spec.numLayers(), normed);
            if (taps.wants(TapKind.LOGITS) && head != null) {
                captured.put(new Key(TapKind.LOGITS, -1), keepArray(softcap(head.apply(normed), spec.finalLogitSoftcap())));
            }
        }
        if (taps.wants(TapKind.NEXT_TOKEN_LOGITS) && head != null) {
            // only the last column: with left padding it is every row's last real token
            NDArray last = weights.finalNorm().apply(h.get(new NDIndex(":, -1, :")));
            captured.put(new Key(TapKind.NEXT_TOKEN_LOGITS, -1),
                    keepArray(softcap(head.apply(last), spec.finalLogitSoftcap())));
        }
    }

    /** Gemma's soft-capping {@code cap * tanh(x / cap)}; identity when {@code cap} is 0. */
    private static NDArray softcap(NDArray x, float cap) {
        return cap > 0 ? x.div(cap).tanh().muli(cap) : x;
    }

    private void capture(TapKind kind, int layer, NDArray array) {
        if (taps.wants(kind, layer)) {
            captured.put(new Key(kind, layer), keepArray(array));
        }
    }

    private NDArray keepArray(NDArray array) {
        keep.add(array);
        NDScope.unregister(array);
        return array;
    }

    /** Token (+ position, + token type) embeddings, then the embedding norm when the family has one. */
    private NDArray embed(NDManager work, TokenBatch batch, long[][] positions) {
        EmbeddingWeights e = weights.embeddings();
        NDArray ids = work.create(flatten(batch.ids()), new Shape(batchSize, width));
        requireInVocabulary(batch);
        NDArray h = e.tokens().rows(ids);
        if (spec.embeddingScale() != 1f) {
            h = h.muli(spec.embeddingScale());
        }
        if (e.tokenTypes() != null) {
            // HF BertEmbeddings: inputs_embeds + token_type_embeddings, then += position_embeddings
            NDArray types = work.zeros(new Shape(batchSize, width), DataType.INT64);
            h = h.add(lookup(types, e.tokenTypes()));
        }
        if (e.positions() != null) {
            for (long[] row : positions) {
                if (row[row.length - 1] >= spec.maxPositions()) {
                    throw new ModelException("a sequence of " + (row[row.length - 1] + 1) + " tokens exceeds the "
                            + spec.maxPositions() + " learned positions of this " + spec.modelType()
                            + " model: truncate the input");
                }
            }
            h = h.add(lookup(work.create(flatten(positions), new Shape(batchSize, width)), e.positions()));
        }
        return e.norm() == null ? h : e.norm().apply(h);
    }

    private void requireInVocabulary(TokenBatch batch) {
        for (long[] row : batch.ids()) {
            for (long id : row) {
                if (id < 0 || id >= spec.vocabSize()) {
                    throw new ModelException("token id " + id + " is outside the vocabulary of " + spec.vocabSize());
                }
            }
        }
    }

    private static NDArray lookup(NDArray ids, NDArray table) {
        return ids.getNDArrayInternal().embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * {@code [batch, 1, 1, queries, keys]} for the last {@code keys} key slots: 0 where query i may
     * attend key j, {@link #MASKED} elsewhere; empty when nothing is masked (an unpadded encoder
     * batch), which saves a pass over every score. Slots are indices in the padded sequence (cached
     * tokens first); query i sits at slot {@code keyWidth - width + i}. A sliding window admits key
     * slot j for query slot i only when {@code i - j < window}.
     */
    private Optional<NDArray> attentionBias(int window, int keys) {
        int firstKey = keyWidth - keys;
        int firstQuery = keyWidth - width;
        boolean anyMasked = spec.causal() || window > 0;
        float[] bias = new float[batchSize * width * keys];
        for (int b = 0; b < batchSize; b++) {
            int[] mask = keyMask[b];
            for (int i = 0; i < width; i++) {
                int query = firstQuery + i;
                for (int j = 0; j < keys; j++) {
                    int key = firstKey + j;
                    boolean allowed = mask[key] == 1 && (!spec.causal() || key <= query)
                            && (window == 0 || query - key < window);
                    anyMasked |= !allowed;
                    bias[(b * width + i) * keys + j] = allowed ? 0f : MASKED;
                }
            }
        }
        return anyMasked ? Optional.of(work.create(bias, new Shape(batchSize, 1, 1, width, keys))) : Optional.empty();
    }

    /**
     * Builds every block's attention bias and rotary embedding before any block runs (outside the
     * blocks' scopes, so they live for the whole pass), sharing them between blocks with the same
     * pattern: a model has one or two (Gemma 3: sliding and global).
     */
    private void prepareAttention() {
        Map<BiasKey, Optional<NDArray>> biases = new HashMap<>();
        Map<RopeSpec, RotaryEmbedding> ropes = new HashMap<>();
        layerBias = new NDArray[spec.numLayers()];
        layerRope = new RotaryEmbedding[spec.numLayers()];
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            LayerAttention pattern = spec.attention().layer(layer);
            NDArray cached = cache == null ? null : cache.keys(layer);
            int keys = width + (cached == null ? 0 : (int) cached.getShape().get(2));
            layerBias[layer] = biases.computeIfAbsent(new BiasKey(pattern.slidingWindow(), keys),
                    k -> attentionBias(k.window(), k.keys())).orElse(null);
            if (pattern.rope() != null) {
                layerRope[layer] = ropes.computeIfAbsent(pattern.rope(),
                        r -> RotaryEmbedding.forPositions(work, r.inverseFrequencies(spec.headDim()), positions));
            }
        }
    }

    private NDArray block(int layer, NDArray h) {
        BlockWeights w = weights.blocks().get(layer);
        if (spec.layout() == BlockLayout.PRE_NORM) {
            // HF LlamaDecoderLayer / GPT2Block: h += attn(norm1(h)); h += mlp(norm2(h))
            // Gemma 3 also norms each sub-layer's output before the addition
            NDArray x = w.attentionNorm().apply(h);
            capture(TapKind.ATTENTION_INPUT, layer, x);
            NDArray attended = attention(layer, w.attention(), x);
            if (w.attentionOutputNorm() != null) {
                attended = w.attentionOutputNorm().apply(attended);
            }
            NDArray afterAttention = h.add(attended);
            NDArray fed = mlp(layer, w.mlp(), w.mlpNorm().apply(afterAttention));
            if (w.mlpOutputNorm() != null) {
                fed = w.mlpOutputNorm().apply(fed);
            }
            return afterAttention.add(fed);
        }
        // HF BertLayer: h = norm1(h + attn(h)); h = norm2(h + mlp(h))
        capture(TapKind.ATTENTION_INPUT, layer, h);
        NDArray afterAttention = w.attentionNorm().apply(attention(layer, w.attention(), h).addi(h));
        return w.mlpNorm().apply(mlp(layer, w.mlp(), afterAttention).addi(afterAttention));
    }

    /**
     * Scaled dot-product attention with grouped-query heads: the g query heads that share a key/value
     * head are stacked along the sequence axis ({@code [B, kv, g*T, d]}) so each group is one matmul
     * against its keys, with no copy of K or V per query head.
     */
    private NDArray attention(int layer, AttentionWeights w, NDArray x) {
        int d = spec.headDim();
        // head counts come from the matrices: a pruned layer (ChannelPruning) has fewer heads than the config
        int heads = (int) (w.query().outFeatures() / d);
        int kvHeads = (int) (w.key().outFeatures() / d);
        int[] kvHeadOfQuery = w.kvHeadOfQuery();
        NDArray q = w.query().apply(x).reshape(batchSize, width, heads, d);
        NDArray k = w.key().apply(x).reshape(batchSize, width, kvHeads, d);
        NDArray v = w.value().apply(x).reshape(batchSize, width, kvHeads, d);
        if (w.queryNorm() != null) {
            q = w.queryNorm().apply(q);
            k = w.keyNorm().apply(k);
        }
        LayerAttention pattern = spec.attention().layer(layer);
        if (layerRope[layer] != null) {
            q = layerRope[layer].apply(q);
            k = layerRope[layer].apply(k);
        }
        NDArray keys = k.transpose(0, 2, 1, 3);
        NDArray values = v.transpose(0, 2, 1, 3);
        if (cache != null) {
            if (cache.keys(layer) != null) {
                keys = cache.keys(layer).concat(keys, 2);
                values = cache.values(layer).concat(values, 2);
            }
            cacheKeys(layer, pattern, keys, values);
        }
        int keyCount = (int) keys.getShape().get(2);
        if (kvHeadOfQuery != null) {
            // query heads no longer form equal groups: give every query head its own copy of its key/value head
            keys = perQueryHead(keys, kvHeadOfQuery);
            values = perQueryHead(values, kvHeadOfQuery);
            kvHeads = heads;
        }
        int group = heads / kvHeads;
        // the score scale is folded into q: one pass over [B, T, H] instead of over [B, heads, T, keys]
        NDArray qGrouped = q.mul(spec.attention().scale()).reshape(batchSize, width, kvHeads, group, d)
                .transpose(0, 2, 3, 1, 4).reshape(batchSize, kvHeads, (long) group * width, d);
        NDArray scores = softcap(qGrouped.matMul(keys.transpose(0, 1, 3, 2)), spec.attention().logitSoftcap())
                .reshape(batchSize, kvHeads, group, width, keyCount);
        if (layerBias[layer] != null) {
            scores = scores.addi(layerBias[layer]);
        }
        NDArray probs = scores.softmax(-1);
        capture(TapKind.ATTENTION_PROBS, layer, probs.reshape(batchSize, heads, width, keyCount));
        NDArray context = probs.reshape(batchSize, kvHeads, (long) group * width, keyCount).matMul(values);
        NDArray perHead = context.reshape(batchSize, kvHeads, group, width, d).transpose(0, 3, 1, 2, 4)
                .reshape(batchSize, width, heads, d);
        perHead = gateHeads(layer, perHead, x, heads);
        NDArray channels = perHead.reshape(batchSize, width, (long) heads * d);
        ChannelMask mask = interventions.channelMasks().get(layer);
        if (mask != null && mask.attention() != null) {
            channels = channels.mul(x.getManager().create(mask.attention()));
        }
        capture(TapKind.HEAD_OUTPUTS, layer, channels.reshape(batchSize, width, heads, d));
        return w.output().apply(channels);
    }

    /** {@code [B, kv, T, d]} to {@code [B, heads, T, d]}, row h taken from key/value head {@code kvHeadOfQuery[h]}. */
    private static NDArray perQueryHead(NDArray kv, int[] kvHeadOfQuery) {
        NDList heads = kv.split(kv.getShape().get(1), 1);
        NDList picked = new NDList();
        for (int source : kvHeadOfQuery) {
            picked.add(heads.get(source));
        }
        return NDArrays.concat(picked, 1);
    }

    /**
     * Stores a layer's keys and values in the cache. A sliding layer keeps only the last
     * {@code window - 1} slots, all that any later query can see, so its memory is bounded by the
     * window rather than the sequence.
     */
    private void cacheKeys(int layer, LayerAttention pattern, NDArray keys, NDArray values) {
        NDArray keptKeys = keys;
        NDArray keptValues = values;
        long length = keys.getShape().get(2);
        if (pattern.isSliding() && length > pattern.slidingWindow() - 1) {
            NDIndex tail = new NDIndex(":, :, {}:, :", length - (pattern.slidingWindow() - 1));
            keptKeys = keys.get(tail).duplicate();
            keptValues = values.get(tail).duplicate();
        }
        NDScope.unregister(keptKeys, keptValues);
        cache.store(layer, keptKeys, keptValues);
    }

    private NDArray gateHeads(int layer, NDArray perHead, NDArray attentionInput, int heads) {
        float[] fixed = interventions.headMasks().get(layer);
        if (fixed != null) {
            perHead = perHead.mul(attentionInput.getManager().create(fixed, new Shape(1, 1, heads, 1)));
        }
        if (interventions.headGate() != null) {
            NDArray gates = interventions.headGate().gates(layer, attentionInput);
            if (gates != null) {
                Shape expected = new Shape(batchSize, width, heads);
                if (!gates.getShape().equals(expected)) {
                    throw new ModelException("head gate of layer " + layer + " returned " + gates.getShape()
                            + ", expected " + expected);
                }
                perHead = perHead.mul(gates.expandDims(-1));
            }
        }
        return perHead;
    }

    private NDArray mlp(int layer, MlpWeights w, NDArray x) {
        NDArray channels = w.gate() != null
                ? spec.activation().apply(w.gate().apply(x)).muli(w.up().apply(x))
                : spec.activation().apply(w.up().apply(x));
        ChannelMask mask = interventions.channelMasks().get(layer);
        if (mask != null && mask.mlp() != null) {
            channels = channels.mul(x.getManager().create(mask.mlp()));
        }
        capture(TapKind.MLP_CHANNELS, layer, channels);
        return w.down().apply(channels);
    }

    /** Eq. 3 of the seed: {@code h <- h - alpha (h . v) v} for each ablation acting at this index. */
    private NDArray ablate(NDArray h, int index) {
        for (DirectionAblation a : interventions.ablations()) {
            if (a.layers().contains(index) && a.alpha() != 0f) {
                NDArray v = h.getManager().create(a.direction());
                NDArray projection = h.matMul(v.reshape(spec.hiddenSize(), 1));
                h = h.sub(projection.mul(v).muli(a.alpha()));
            }
        }
        return h;
    }

    private static long[] flatten(long[][] rows) {
        long[] flat = new long[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[r].length, rows[r].length);
        }
        return flat;
    }
}
