package io.layerwise.trainers.pruning;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.runtime.FlopsAccounting;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * Probe Pruning's probe: a small slice of the batch run ahead through the dense model to measure live
 * channel energies. Rows are ranked by the L2 norm of their residual stream entering the first
 * prunable block (over real tokens and the hidden dimension) and the top {@code rowFraction} kept; token
 * columns are ranked by the norm over the kept rows and the top {@code tokenFraction} kept (Probe
 * Pruning's residual-importance selection). The probe is the kept rows restricted to the kept columns'
 * real tokens, run through the dense blocks up to the last prunable one.
 *
 * <p>One deviation from the reference, which interleaves the probe with the pruned pass block by
 * block: here the probe runs through the dense model once, ahead of the pruned pass, so its later
 * blocks see dense rather than pruned inputs. Its cost is counted in full: the prefix pass that ranks
 * the rows (the blocks before the first prunable one, over the whole batch) and the probe itself.
 *
 * @param rowFraction share of the batch's rows in the probe, in (0, 1]
 * @param tokenFraction share of the batch's token columns in the probe, in (0, 1]
 */
public record ProbePass(double rowFraction, double tokenFraction) {

    public ProbePass {
        if (!(rowFraction > 0 && rowFraction <= 1) || !(tokenFraction > 0 && tokenFraction <= 1)) {
            throw new IllegalArgumentException("probe fractions must be in (0, 1], got " + rowFraction + " and " + tokenFraction);
        }
    }

    /**
     * The probe's energies and cost.
     *
     * @param energies live energies at the prunable blocks
     * @param flops FLOPs spent on ranking and on the probe
     * @param rows probe rows
     * @param tokens probe tokens
     */
    public record Result(ChannelEnergies energies, double flops, int rows, long tokens) {}

    public Result run(FrozenTransformer model, TokenBatch batch, List<Integer> layers) {
        int first = layers.get(0);
        int last = layers.get(layers.size() - 1);
        double[][] tokenNorms;
        try (ForwardResult r = model.forward(batch, Taps.of(TapKind.RESIDUAL).onLayers(first))) {
            tokenNorms = squaredNorms(r.residual(first), batch);
        }
        int rows = Math.max(1, (int) Math.ceil(rowFraction * batch.size()));
        int[] chosenRows = IntStream.range(0, batch.size()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(b -> -sum(tokenNorms[b])).thenComparingInt(b -> b))
                .limit(rows).mapToInt(Integer::intValue).toArray();
        double[] columnScore = new double[batch.width()];
        for (int b : chosenRows) {
            for (int t = 0; t < batch.width(); t++) {
                columnScore[t] += tokenNorms[b][t];
            }
        }
        int columns = Math.max(1, (int) Math.ceil(tokenFraction * batch.width()));
        Set<Integer> chosenColumns = new HashSet<>();
        IntStream.range(0, batch.width()).boxed()
                .sorted(Comparator.<Integer>comparingDouble(t -> -columnScore[t]).thenComparingInt(t -> t))
                .limit(columns).forEach(chosenColumns::add);
        List<long[]> probe = new ArrayList<>();
        for (int b : chosenRows) {
            long[] kept = IntStream.range(0, batch.width())
                    .filter(t -> chosenColumns.contains(t) && batch.mask()[b][t] == 1)
                    .mapToLong(t -> batch.ids()[b][t]).toArray();
            if (kept.length > 0) {
                probe.add(kept);
            }
        }
        if (probe.isEmpty()) {
            // every kept column was padding in the kept rows: fall back to the longest row's last token
            probe.add(new long[] {batch.ids()[chosenRows[0]][batch.width() - 1]});
        }
        ChannelEnergies energies = ChannelEnergies.measure(model, probe, layers, probe.size());
        TransformerSpec spec = model.spec();
        double flops = 0;
        for (int b = 0; b < batch.size() && first > 0; b++) {
            flops += blockFlops(spec, first, batch.length(b));
        }
        for (long[] row : probe) {
            flops += blockFlops(spec, last + 1, row.length);
        }
        return new Result(energies, flops, probe.size(), energies.tokens());
    }

    /** FLOPs of the first {@code blocks} blocks over a sequence of {@code length} tokens (no LM head). */
    static double blockFlops(TransformerSpec spec, int blocks, int length) {
        Set<Integer> later = new HashSet<>();
        for (int l = blocks; l < spec.numLayers(); l++) {
            later.add(l);
        }
        double head = spec.causal() ? 2.0 * spec.hiddenSize() * spec.vocabSize() : 0;
        double perToken = new FlopsAccounting(spec).perToken(length, Interventions.none().withDroppedLayers(later)) - head;
        return perToken * length;
    }

    /** {@code [batch][width]} squared L2 norms of the hidden states, 0 at padding. */
    private static double[][] squaredNorms(NDArray residual, TokenBatch batch) {
        float[] norms = residual.square().sum(new int[] {2}).toFloatArray();
        double[][] out = new double[batch.size()][batch.width()];
        for (int b = 0; b < batch.size(); b++) {
            for (int t = 0; t < batch.width(); t++) {
                out[b][t] = batch.mask()[b][t] == 1 ? norms[b * batch.width() + t] : 0;
            }
        }
        return out;
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }
}
