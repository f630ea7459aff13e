package io.layerwise.trainers.pruning;

import io.layerwise.models.ModelException;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.runtime.ChannelMask;
import io.layerwise.models.runtime.ChannelPruning;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.TokenBatch;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Decides, for one batch, which attention heads and MLP channels of every prunable block to keep at a
 * prune ratio: {@code round(ratio * heads)} heads and {@code round(ratio * I)} channels are removed per
 * block (at least one of each is kept). {@link PruningMethod#PROBE_PRUNING} keeps the most important by
 * {@link ProbeImportance} on a {@link ProbePass}; {@link PruningMethod#AAPP} adds the {@link SafetyGate};
 * {@link PruningMethod#RANDOM} draws them uniformly. The result is a set of 0/1 channel masks, ready for
 * {@link ChannelPruning#materialize}.
 *
 * <pre>{@code
 * ProbePruner pruner = new ProbePruner(model, general, benign, harmful, new ProbePass(0.5, 0.5), null, new SafetyGate(0.2), 0L);
 * ProbePruner.Plan plan = pruner.plan(PruningMethod.AAPP, 0.3, batch, 7);
 * }</pre>
 */
public final class ProbePruner {
    private final FrozenTransformer model;
    private final List<Integer> layers;
    private final ChannelEnergies general;
    private final ChannelEnergies benign;
    private final ChannelEnergies harmful;
    private final ProbePass probe;
    private final Double fixedProbeRatio;
    private final SafetyGate gate;
    private final long seed;
    /** Per prunable block, {@code ||W[:, j]^2||_2} of the output projection and of the down projection. */
    private final Map<Integer, double[]> attentionNorms = new HashMap<>();
    private final Map<Integer, double[]> mlpNorms = new HashMap<>();

    /**
     * @param fixedProbeRatio weight of the probe in the blend, or null for Probe Pruning's dynamic {@code p/(p+g)}
     */
    public ProbePruner(FrozenTransformer model, ChannelEnergies general, ChannelEnergies benign, ChannelEnergies harmful,
            ProbePass probe, Double fixedProbeRatio, SafetyGate gate, long seed) {
        this.model = model;
        this.layers = general.layers();
        this.general = general;
        this.benign = benign;
        this.harmful = harmful;
        this.probe = probe;
        this.fixedProbeRatio = fixedProbeRatio;
        this.gate = gate;
        this.seed = seed;
        TransformerSpec spec = model.spec();
        if (general.attention()[0].length != spec.attentionWidth() || general.mlp()[0].length != spec.intermediateSize()) {
            throw new ModelException("the energy histories have " + general.attention()[0].length + " attention and "
                    + general.mlp()[0].length + " MLP channels per block, but " + model.id() + " has "
                    + spec.attentionWidth() + " and " + spec.intermediateSize() + ": measure them on this model");
        }
        for (int layer : layers) {
            attentionNorms.put(layer, ProbeImportance.columnNorms(ChannelPruning.attentionOutputWeight(model, layer),
                    spec.hiddenSize(), spec.attentionWidth()));
            mlpNorms.put(layer, ProbeImportance.columnNorms(ChannelPruning.mlpDownWeight(model, layer),
                    spec.hiddenSize(), spec.intermediateSize()));
        }
    }

    /** Prunable blocks. */
    public List<Integer> layers() {
        return layers;
    }

    /**
     * One batch's decision.
     *
     * @param masks 0/1 channel masks per prunable block
     * @param probeFlops FLOPs of the probe (0 for random pruning)
     * @param decision the gate's view of the probe (null unless AAPP)
     * @param reservedUnits heads and channels kept by the reserve, summed over blocks
     * @param probeTokens real tokens in the probe
     */
    public record Plan(Map<Integer, ChannelMask> masks, double probeFlops, SafetyGate.Decision decision, int reservedUnits,
            long probeTokens) {}

    /** The plan for {@code batch}; {@code salt} varies the random draw between batches. */
    public Plan plan(PruningMethod method, double ratio, TokenBatch batch, long salt) {
        if (!(ratio >= 0 && ratio < 1)) {
            throw new IllegalArgumentException("prune ratio must be in [0, 1), got " + ratio);
        }
        TransformerSpec spec = model.spec();
        int keepHeads = ChannelPruning.keptCount(spec.numHeads(), ratio);
        int keepChannels = ChannelPruning.keptCount(spec.intermediateSize(), ratio);
        if (method == PruningMethod.RANDOM) {
            SplittableRandom random = new SplittableRandom(seed ^ (salt * 0x9E3779B97F4A7C15L));
            return new Plan(ChannelPruning.randomMasks(spec, layers, ratio, random), 0, null, 0, 0);
        }
        ProbePass.Result live = probe.run(model, batch, layers);
        SafetyGate.Decision decision = method == PruningMethod.AAPP
                ? SafetyGate.compare(live.energies(), benign, harmful) : null;
        boolean reserve = decision != null && decision.closerToHarmful();
        Map<Integer, ChannelMask> masks = new HashMap<>();
        int reserved = 0;
        for (int layer : layers) {
            int p = live.energies().indexOf(layer);
            int g = general.indexOf(layer);
            double[] channel = ProbeImportance.channelImportance(
                    ProbeImportance.blend(live.energies().attention()[p], general.attention()[g], fixedProbeRatio),
                    attentionNorms.get(layer));
            double[] headScores = ProbeImportance.headImportance(channel, spec.headDim());
            double[] mlpScores = ProbeImportance.channelImportance(
                    ProbeImportance.blend(live.energies().mlp()[p], general.mlp()[g], fixedProbeRatio), mlpNorms.get(layer));
            double[] headActivity = SafetyGate.perHead(SafetyGate.harmfulActivity(benign.attention()[benign.indexOf(layer)],
                    harmful.attention()[harmful.indexOf(layer)]), spec.headDim());
            double[] mlpActivity = SafetyGate.harmfulActivity(benign.mlp()[benign.indexOf(layer)],
                    harmful.mlp()[harmful.indexOf(layer)]);
            SafetyGate.Selection heads = gate.select(headScores, headActivity, keepHeads, reserve);
            SafetyGate.Selection channels = gate.select(mlpScores, mlpActivity, keepChannels, reserve);
            reserved += heads.reserved() + channels.reserved();
            masks.put(layer, mask(spec, heads.kept(), channels.kept()));
        }
        return new Plan(masks, live.flops(), decision, reserved, live.tokens());
    }

    private static ChannelMask mask(TransformerSpec spec, int[] heads, int[] channels) {
        float[] attention = new float[spec.attentionWidth()];
        for (int h : heads) {
            java.util.Arrays.fill(attention, h * spec.headDim(), (h + 1) * spec.headDim(), 1f);
        }
        float[] mlp = new float[spec.intermediateSize()];
        for (int c : channels) {
            mlp[c] = 1f;
        }
        return new ChannelMask(attention, mlp);
    }
}
