package io.layerwise.models.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.layerwise.models.ModelException;
import io.layerwise.models.nn.AttentionWeights;
import io.layerwise.models.nn.BlockWeights;
import io.layerwise.models.nn.Linear;
import io.layerwise.models.nn.MlpWeights;
import io.layerwise.models.nn.TransformerWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Unstructured magnitude pruning of a loaded model: in every linear weight matrix of the blocks
 * (attention q, k, v, o; MLP gate, up, down; embeddings, norms and the LM head are left alone), the
 * given fraction of weights with the smallest magnitude is set to zero. Per matrix by default (each
 * matrix loses exactly {@code round(fraction * size)} weights; ties at the threshold are broken by
 * position), or with one global threshold over all of them. The result is a derived model holding
 * pruned copies of the matrices only; the original stays loaded and unchanged, so a study can try
 * many fractions without reloading the checkpoint. (GPT-2's fused {@code c_attn} is pruned per q, k
 * and v third, the projections the runtime holds.)
 *
 * <pre>{@code
 * try (MagnitudePruning.Pruned p = MagnitudePruning.prune(model, 0.3, MagnitudePruning.Scope.PER_MATRIX)) {
 *     evaluate(p.model()); // p.sparsity() is the fraction actually zeroed
 * }
 * }</pre>
 */
public final class MagnitudePruning {
    private MagnitudePruning() {}

    /** How thresholds are chosen. */
    public enum Scope {
        /** Each matrix loses exactly the fraction of its own weights. */
        PER_MATRIX,
        /** One threshold over all eligible weights together. */
        GLOBAL
    }

    /**
     * A pruned view of a model.
     *
     * @param model the derived model; close it to free the pruned copies
     * @param zeroed weights set to zero by pruning
     * @param eligible weights in the eligible matrices
     * @param sparsity fraction of the eligible weights that are zero after pruning (pre-existing zeros included)
     */
    public record Pruned(FrozenTransformer model, long zeroed, long eligible, double sparsity) implements AutoCloseable {
        @Override
        public void close() {
            model.close();
        }
    }

    public static Pruned prune(FrozenTransformer model, double fraction, Scope scope) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new ModelException("pruning fraction must be between 0 and 1, got " + fraction);
        }
        TransformerWeights weights = model.weights();
        List<Linear> linears = new ArrayList<>();
        for (BlockWeights block : weights.blocks()) {
            AttentionWeights a = block.attention();
            linears.addAll(List.of(a.query(), a.key(), a.value(), a.output()));
            MlpWeights m = block.mlp();
            if (m.gate() != null) {
                linears.add(m.gate());
            }
            linears.addAll(List.of(m.up(), m.down()));
        }
        List<float[]> values = new ArrayList<>();
        long eligible = 0;
        for (Linear linear : linears) {
            float[] v = linear.weight().toFloatArray();
            values.add(v);
            eligible += v.length;
        }
        long zeroed = scope == Scope.PER_MATRIX ? pruneEach(values, fraction) : pruneGlobally(values, fraction, eligible);
        long zeros = 0;
        for (float[] v : values) {
            for (float x : v) {
                zeros += x == 0f ? 1 : 0;
            }
        }
        NDManager owned = model.newWeightManager();
        try {
            List<BlockWeights> blocks = new ArrayList<>();
            int next = 0;
            for (BlockWeights block : weights.blocks()) {
                AttentionWeights a = block.attention();
                AttentionWeights prunedAttention = new AttentionWeights(copy(a.query(), values.get(next++), owned),
                        copy(a.key(), values.get(next++), owned), copy(a.value(), values.get(next++), owned),
                        copy(a.output(), values.get(next++), owned), a.queryNorm(), a.keyNorm());
                MlpWeights m = block.mlp();
                Linear gate = m.gate() == null ? null : copy(m.gate(), values.get(next++), owned);
                MlpWeights prunedMlp = new MlpWeights(gate, copy(m.up(), values.get(next++), owned),
                        copy(m.down(), values.get(next++), owned));
                blocks.add(new BlockWeights(block.attentionNorm(), prunedAttention, block.mlpNorm(), prunedMlp,
                        block.attentionOutputNorm(), block.mlpOutputNorm()));
            }
            TransformerWeights pruned = new TransformerWeights(weights.embeddings(), blocks, weights.finalNorm(),
                    weights.lmHead());
            String id = model.id() + " [magnitude-pruned " + fraction + " " + scope.name().toLowerCase() + "]";
            return new Pruned(model.derive(id, pruned, owned), zeroed, eligible, (double) zeros / eligible);
        } catch (RuntimeException e) {
            owned.close();
            throw e;
        }
    }

    private static long pruneEach(List<float[]> values, double fraction) {
        long zeroed = 0;
        for (float[] v : values) {
            int k = (int) Math.round(fraction * v.length);
            zeroed += zeroSmallest(List.of(v), k);
        }
        return zeroed;
    }

    private static long pruneGlobally(List<float[]> values, double fraction, long eligible) {
        if (eligible > Integer.MAX_VALUE - 8) {
            throw new ModelException("global magnitude pruning handles up to 2^31 weights; this model has " + eligible
                    + " in its blocks: use per-matrix pruning");
        }
        return zeroSmallest(values, (int) Math.round(fraction * eligible));
    }

    /**
     * Zeroes the {@code k} smallest magnitudes across {@code matrices}: everything below the k-th
     * smallest magnitude, then values equal to it in order of position until k are zero.
     */
    private static long zeroSmallest(List<float[]> matrices, int k) {
        if (k == 0) {
            return 0;
        }
        int total = matrices.stream().mapToInt(m -> m.length).sum();
        float[] magnitudes = new float[total];
        int at = 0;
        for (float[] m : matrices) {
            for (float x : m) {
                magnitudes[at++] = Math.abs(x);
            }
        }
        Arrays.sort(magnitudes);
        float threshold = magnitudes[k - 1];
        int below = 0;
        for (float mag : magnitudes) {
            if (mag < threshold) {
                below++;
            } else {
                break;
            }
        }
        int tiesToZero = k - below;
        long zeroed = 0;
        for (float[] m : matrices) {
            for (int i = 0; i < m.length; i++) {
                float mag = Math.abs(m[i]);
                if (mag < threshold || (mag == threshold && tiesToZero-- > 0)) {
                    m[i] = 0f;
                    zeroed++;
                }
            }
        }
        return zeroed;
    }

    private static Linear copy(Linear original, float[] values, NDManager owned) {
        NDArray weight = owned.create(values, original.weight().getShape());
        return new Linear(weight, original.bias());
    }
}
