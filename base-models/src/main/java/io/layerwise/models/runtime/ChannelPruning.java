package io.layerwise.models.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.layerwise.models.ModelException;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.nn.AttentionWeights;
import io.layerwise.models.nn.BlockWeights;
import io.layerwise.models.nn.Linear;
import io.layerwise.models.nn.MlpWeights;
import io.layerwise.models.nn.TransformerWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Channel masks made real: a derived model whose matrices are smaller, so that a pruned channel costs
 * nothing rather than being multiplied by zero. For each masked block, the attention keeps the heads
 * with at least one non-zero channel (their query rows, the key/value rows of the key/value heads they
 * read, and their output-projection columns, scaled by the mask values), and the MLP keeps its
 * non-zero channels (their gate and up rows and down-projection columns, scaled likewise). The result
 * computes exactly what the masked model computes ({@link Interventions#withChannelMask}); its FLOPs are
 * what {@link FlopsAccounting} counts for the same masks. The original model stays loaded and unchanged.
 *
 * <p>The kept matrices are float32 copies (bf16 weights are widened exactly), whatever the model's
 * precision. Head masks, head gates and further channel masks do not apply to a pruned model (its
 * layers no longer have the config's widths); use them on the original.
 *
 * <pre>{@code
 * try (ChannelPruning.Pruned p = ChannelPruning.materialize(model, Map.of(3, new ChannelMask(attention, mlp)))) {
 *     new GreedyDecoder(p.model(), Interventions.none(), true).generate(prompts, 64, stops);
 * }
 * }</pre>
 */
public final class ChannelPruning {
    private ChannelPruning() {}

    /**
     * A pruned model.
     *
     * @param model the derived model; close it to free the smaller matrices
     * @param masks the masks it realizes, per block
     */
    public record Pruned(FrozenTransformer model, Map<Integer, ChannelMask> masks) implements AutoCloseable {
        public Pruned {
            masks = Map.copyOf(masks);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    public static Pruned materialize(FrozenTransformer model, Map<Integer, ChannelMask> masks) {
        TransformerSpec spec = model.spec();
        Interventions checked = Interventions.none();
        for (Map.Entry<Integer, ChannelMask> e : masks.entrySet()) {
            checked = checked.withChannelMask(e.getKey(), e.getValue());
        }
        checked.validate(spec);
        TransformerWeights weights = model.weights();
        NDManager owned = model.newWeightManager();
        try {
            List<BlockWeights> blocks = new ArrayList<>();
            for (int layer = 0; layer < spec.numLayers(); layer++) {
                BlockWeights block = weights.blocks().get(layer);
                ChannelMask mask = masks.get(layer);
                if (mask == null) {
                    blocks.add(block);
                    continue;
                }
                AttentionWeights attention = mask.attention() == null ? block.attention()
                        : pruneHeads(spec, layer, block.attention(), mask.attention(), owned);
                MlpWeights mlp = mask.mlp() == null ? block.mlp() : pruneMlp(layer, block.mlp(), mask.mlp(), owned);
                blocks.add(new BlockWeights(block.attentionNorm(), attention, block.mlpNorm(), mlp,
                        block.attentionOutputNorm(), block.mlpOutputNorm()));
            }
            TransformerWeights pruned = new TransformerWeights(weights.embeddings(), blocks, weights.finalNorm(),
                    weights.lmHead());
            return new Pruned(model.derive(model.id() + " [channel-pruned]", pruned, owned), masks);
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    /** Units kept when a share {@code ratio} of {@code n} is removed: {@code n - round(ratio * n)}, at least one. */
    public static int keptCount(int n, double ratio) {
        return Math.max(1, n - (int) Math.round(ratio * n));
    }

    /**
     * 0/1 masks that remove {@link #keptCount the share} {@code ratio} of the heads and of the MLP
     * channels of each of {@code layers}, drawn uniformly at random: the random-pruning baseline, and
     * shapes for speed measurements.
     */
    public static Map<Integer, ChannelMask> randomMasks(TransformerSpec spec, Collection<Integer> layers, double ratio,
            SplittableRandom random) {
        Map<Integer, ChannelMask> masks = new HashMap<>();
        for (int layer : layers) {
            float[] attention = new float[spec.attentionWidth()];
            for (int h : draw(random, spec.numHeads(), keptCount(spec.numHeads(), ratio))) {
                Arrays.fill(attention, h * spec.headDim(), (h + 1) * spec.headDim(), 1f);
            }
            float[] mlp = new float[spec.intermediateSize()];
            for (int c : draw(random, spec.intermediateSize(), keptCount(spec.intermediateSize(), ratio))) {
                mlp[c] = 1f;
            }
            masks.put(layer, new ChannelMask(attention, mlp));
        }
        return masks;
    }

    /** {@code keep} distinct indices of {@code n} (a partial Fisher-Yates shuffle). */
    private static int[] draw(SplittableRandom random, int n, int keep) {
        int[] all = IntStream.range(0, n).toArray();
        for (int i = 0; i < keep; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, keep);
    }

    /**
     * The matrix that reads block {@code layer}'s attention channels, its output projection
     * {@code [H, heads*headDim]}, float32 row-major (bf16 weights widened exactly): what channel
     * importance scores weigh a channel's activation by.
     */
    public static float[] attentionOutputWeight(FrozenTransformer model, int layer) {
        return model.weights().blocks().get(layer).attention().output().weight().toFloatArray();
    }

    /** The matrix that reads block {@code layer}'s MLP channels, its down projection {@code [H, I]}, float32 row-major. */
    public static float[] mlpDownWeight(FrozenTransformer model, int layer) {
        return model.weights().blocks().get(layer).mlp().down().weight().toFloatArray();
    }

    private static AttentionWeights pruneHeads(TransformerSpec spec, int layer, AttentionWeights a, float[] mask,
            NDManager owned) {
        int d = spec.headDim();
        int group = spec.headsPerKvHead();
        List<Integer> heads = new ArrayList<>();
        Set<Integer> kvHeads = new LinkedHashSet<>();
        for (int h = 0; h < spec.numHeads(); h++) {
            for (int c = h * d; c < (h + 1) * d; c++) {
                if (mask[c] != 0f) {
                    heads.add(h);
                    kvHeads.add(h / group);
                    break;
                }
            }
        }
        if (heads.isEmpty()) {
            throw new ModelException("the attention channel mask of layer " + layer + " removes every head: keep at least one");
        }
        List<Integer> kvList = new ArrayList<>(kvHeads);
        int[] kvHeadOfQuery = new int[heads.size()];
        boolean regular = true;
        for (int i = 0; i < heads.size(); i++) {
            kvHeadOfQuery[i] = kvList.indexOf(heads.get(i) / group);
            // the standard grouping holds when every kept key/value head still serves a full group
            regular &= kvHeadOfQuery[i] == i / group;
        }
        regular &= heads.size() == kvList.size() * group;
        long[] queryRows = channelsOf(heads, d);
        long[] kvRows = channelsOf(kvList, d);
        return new AttentionWeights(rows(a.query(), queryRows, owned), rows(a.key(), kvRows, owned),
                rows(a.value(), kvRows, owned), scaledColumns(a.output(), queryRows, mask, owned), a.queryNorm(),
                a.keyNorm(), regular ? null : kvHeadOfQuery);
    }

    private static MlpWeights pruneMlp(int layer, MlpWeights m, float[] mask, NDManager owned) {
        List<Integer> kept = new ArrayList<>();
        for (int c = 0; c < mask.length; c++) {
            if (mask[c] != 0f) {
                kept.add(c);
            }
        }
        if (kept.isEmpty()) {
            throw new ModelException("the MLP channel mask of layer " + layer + " removes every channel: keep at least one");
        }
        long[] channels = kept.stream().mapToLong(Integer::longValue).toArray();
        return new MlpWeights(m.gate() == null ? null : rows(m.gate(), channels, owned), rows(m.up(), channels, owned),
                scaledColumns(m.down(), channels, mask, owned));
    }

    /** Channels {@code u*width .. (u+1)*width-1} of every unit {@code u}, in order. */
    private static long[] channelsOf(List<Integer> units, int width) {
        long[] out = new long[units.size() * width];
        for (int i = 0; i < units.size(); i++) {
            for (int c = 0; c < width; c++) {
                out[i * width + c] = (long) units.get(i) * width + c;
            }
        }
        return out;
    }

    /** The rows {@code kept} of a linear layer (its output features), bias included. */
    private static Linear rows(Linear linear, long[] kept, NDManager owned) {
        NDArray ids = owned.create(kept);
        NDArray weight = linear.weight().rows(ids);
        ids.close();
        return new Linear(weight, linear.bias() == null ? null : owned.create(pick(linear.bias().toFloatArray(), kept)));
    }

    /** The columns {@code kept} of a linear layer (its input features), each scaled by its mask value. */
    private static Linear scaledColumns(Linear linear, long[] kept, float[] mask, NDManager owned) {
        int out = (int) linear.outFeatures();
        int in = (int) linear.inFeatures();
        float[] all = linear.weight().toFloatArray();
        float[] picked = new float[out * kept.length];
        for (int r = 0; r < out; r++) {
            for (int j = 0; j < kept.length; j++) {
                int c = (int) kept[j];
                picked[r * kept.length + j] = all[r * in + c] * mask[c];
            }
        }
        return new Linear(owned.create(picked, new Shape(out, kept.length)), linear.bias());
    }

    private static float[] pick(float[] values, long[] kept) {
        float[] out = new float[kept.length];
        for (int i = 0; i < kept.length; i++) {
            out[i] = values[(int) kept[i]];
        }
        return out;
    }
}
