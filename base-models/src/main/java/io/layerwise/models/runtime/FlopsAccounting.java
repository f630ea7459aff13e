package io.layerwise.models.runtime;

import io.layerwise.models.config.AttentionSpec.LayerAttention;
import io.layerwise.models.config.TransformerSpec;

/**
 * Forward FLOPs per token of a model under interventions, from its config alone: 2 FLOPs per
 * multiply-accumulate of every projection, of {@code QK^T} and of {@code PV}, and of the LM head.
 * Norms, softmax and activations are left out (they are a few percent and not matrix work).
 * Attention counts the keys each token actually attends to: {@code p + 1} at position {@code p},
 * at most the window on a sliding layer. Dropped blocks cost nothing; masked channels of the
 * attention output projection and MLP down projection are counted as removed together with the rows
 * of the projections that produce them (what a materialized pruned model computes, see
 * {@link ChannelPruning}), a fully masked head also drops its query rows and attention products, and a
 * key/value head all of whose query heads are masked drops its key and value rows.
 *
 * <pre>{@code
 * double gflops = new FlopsAccounting(model.spec()).perToken(512, Interventions.none()) / 1e9;
 * }</pre>
 */
public record FlopsAccounting(TransformerSpec spec) {

    /** Mean FLOPs per token over a sequence of {@code length} tokens (positions 0 to length-1). */
    public double perToken(int length, Interventions interventions) {
        double total = 0;
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            if (!interventions.droppedLayers().contains(layer)) {
                total += layerFlops(layer, length, interventions.channelMasks().get(layer)) / length;
            }
        }
        if (spec.causal()) {
            total += 2.0 * spec.hiddenSize() * spec.vocabSize();
        }
        return total;
    }

    /** FLOPs of one block over a whole sequence. */
    private double layerFlops(int layer, int length, ChannelMask mask) {
        long h = spec.hiddenSize();
        int d = spec.headDim();
        int attentionChannels = kept(mask == null ? null : mask.attention(), spec.attentionWidth());
        int activeHeads = activeHeads(mask == null ? null : mask.attention());
        long kvWidth = (long) activeKvHeads(mask == null ? null : mask.attention()) * d;
        int mlpChannels = kept(mask == null ? null : mask.mlp(), spec.intermediateSize());
        double perToken = 2.0 * h * activeHeads * d // q rows of the heads that remain
                + 2.0 * 2 * h * kvWidth // k and v
                + 2.0 * attentionChannels * h // output projection over its kept input channels
                + 2.0 * (spec.gatedMlp() ? 3 : 2) * h * mlpChannels;
        double keysAttended = 0;
        LayerAttention pattern = spec.attention().layer(layer);
        for (int p = 0; p < length; p++) {
            int visible = spec.causal() ? p + 1 : length;
            keysAttended += pattern.isSliding() ? Math.min(visible, pattern.slidingWindow()) : visible;
        }
        return perToken * length + 2.0 * 2 * activeHeads * d * keysAttended;
    }

    private static int kept(float[] mask, int width) {
        if (mask == null) {
            return width;
        }
        int n = 0;
        for (float m : mask) {
            n += m != 0f ? 1 : 0;
        }
        return n;
    }

    /** Key/value heads read by at least one head with a kept channel. */
    private int activeKvHeads(float[] mask) {
        if (mask == null) {
            return spec.numKvHeads();
        }
        int group = spec.headsPerKvHead();
        int active = 0;
        for (int kv = 0; kv < spec.numKvHeads(); kv++) {
            boolean used = false;
            for (int c = kv * group * spec.headDim(); c < (kv + 1) * group * spec.headDim() && !used; c++) {
                used = mask[c] != 0f;
            }
            active += used ? 1 : 0;
        }
        return active;
    }

    /** Heads with at least one channel kept. */
    private int activeHeads(float[] mask) {
        if (mask == null) {
            return spec.numHeads();
        }
        int active = 0;
        for (int head = 0; head < spec.numHeads(); head++) {
            for (int c = head * spec.headDim(); c < (head + 1) * spec.headDim(); c++) {
                if (mask[c] != 0f) {
                    active++;
                    break;
                }
            }
        }
        return active;
    }
}
