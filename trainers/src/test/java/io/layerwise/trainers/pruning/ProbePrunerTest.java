package io.layerwise.trainers.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.models.runtime.ChannelMask;
import io.layerwise.models.runtime.ChannelPruning;
import io.layerwise.models.runtime.FlopsAccounting;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-batch plans on the Llama fixture with histories measured on random token sequences: ratio 0 is
 * the dense model, a ratio removes exactly its share of heads and channels per block, and the gate
 * reserves units exactly when the probe's profile is the harmful history's.
 */
class ProbePrunerTest {
    private static final List<Integer> LAYERS = List.of(0, 1);
    private static FrozenTransformer model;
    private static ChannelEnergies general;
    private static ChannelEnergies benign;
    private static ChannelEnergies harmful;

    @BeforeAll
    static void load() {
        model = FrozenTransformer.load(ProbeImportanceTest.FIXTURES.resolve("llama"));
        general = ChannelEnergies.measure(model, randomSequences(1, 12), LAYERS, 4);
        benign = ChannelEnergies.measure(model, randomSequences(2, 6), LAYERS, 4);
        harmful = ChannelEnergies.measure(model, randomSequences(3, 6), LAYERS, 4);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static List<long[]> randomSequences(long seed, int count) {
        Random random = new Random(seed);
        List<long[]> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(random.longs(3 + random.nextInt(8), 0, 257).toArray());
        }
        return out;
    }

    private static ProbePruner pruner(ChannelEnergies benignHistory, ChannelEnergies harmfulHistory, double alignFrac) {
        return new ProbePruner(model, general, benignHistory, harmfulHistory, new ProbePass(0.5, 0.5), null,
                new SafetyGate(alignFrac), 7L);
    }

    @Test
    void ratioZeroKeepsEverythingAndEqualsTheDenseModel() {
        TokenBatch batch = ProbePassTest.batch();
        float[] dense;
        try (ForwardResult r = model.forward(batch, Taps.of(TapKind.LOGITS))) {
            dense = r.logits().toFloatArray();
        }
        for (PruningMethod method : PruningMethod.values()) {
            ProbePruner.Plan plan = pruner(benign, harmful, 0.2).plan(method, 0, batch, 0);
            for (ChannelMask mask : plan.masks().values()) {
                assertThat(mask.attention()).as(method.name()).containsOnly(1f);
                assertThat(mask.mlp()).as(method.name()).containsOnly(1f);
            }
            try (ChannelPruning.Pruned pruned = ChannelPruning.materialize(model, plan.masks());
                 ForwardResult r = pruned.model().forward(batch, Taps.of(TapKind.LOGITS))) {
                assertThat(r.logits().toFloatArray()).as(method.name()).containsExactly(dense);
            }
        }
    }

    @Test
    void aRatioRemovesItsShareOfHeadsAndChannelsInEveryBlockAndTheirFlops() {
        TokenBatch batch = ProbePassTest.batch();
        FlopsAccounting flops = new FlopsAccounting(model.spec());
        for (PruningMethod method : PruningMethod.values()) {
            ProbePruner.Plan plan = pruner(benign, harmful, 0.2).plan(method, 0.5, batch, 3);
            Interventions masked = Interventions.none();
            for (int layer : LAYERS) {
                ChannelMask mask = plan.masks().get(layer);
                assertThat(count(mask.attention())).as(method + " heads").isEqualTo(2 * 16);
                assertThat(count(mask.mlp())).as(method + " channels").isEqualTo(64);
                masked = masked.withChannelMask(layer, mask);
            }
            int n = 10;
            double removed = flops.perToken(n, Interventions.none()) - flops.perToken(n, masked);
            // per block at least: 2 heads' q rows, o columns, QK and PV; 64 channels of gate, up, down
            double perBlock = 2.0 * 64 * 32 * 2 + 2.0 * 2 * 32 * (n + 1) / 2.0 + 2.0 * 3 * 64 * 64;
            // plus the k and v rows of a key/value head when both its query heads went
            double kvHead = 2.0 * 2 * 64 * 16;
            assertThat(removed).as(method.name()).isBetween(2 * perBlock - 1e-6, 2 * (perBlock + kvHead) + 1e-6);
            assertThat(plan.probeFlops() > 0).isEqualTo(method != PruningMethod.RANDOM);
        }
    }

    @Test
    void gateReservesAlignFracOfKeptUnitsOnlyWhenTheProbeMatchesTheHarmfulHistory() {
        TokenBatch batch = ProbePassTest.batch();
        ChannelEnergies live = new ProbePass(0.5, 0.5).run(model, batch, LAYERS).energies();
        // the harmful history is the probe's own profile: keep 2 heads and 64 channels per block, reserve
        // round(0.25 * 2) = 1 head and round(0.25 * 64) = 16 channels in each of the 2 blocks
        ProbePruner.Plan fired = pruner(benign, live, 0.25).plan(PruningMethod.AAPP, 0.5, batch, 0);
        assertThat(fired.decision().closerToHarmful()).isTrue();
        assertThat(fired.decision().distanceToHarmful()).isCloseTo(0, within(1e-6));
        assertThat(fired.reservedUnits()).isEqualTo(2 * (1 + 16));
        ProbePruner.Plan quiet = pruner(live, harmful, 0.25).plan(PruningMethod.AAPP, 0.5, batch, 0);
        assertThat(quiet.decision().closerToHarmful()).isFalse();
        assertThat(quiet.reservedUnits()).isZero();
        // without the gate, the same batch keeps the same units as the quiet gate
        ProbePruner.Plan plain = pruner(live, harmful, 0.25).plan(PruningMethod.PROBE_PRUNING, 0.5, batch, 0);
        for (int layer : LAYERS) {
            assertThat(plain.masks().get(layer).mlp()).containsExactly(quiet.masks().get(layer).mlp());
        }
        assertThat(plain.decision()).isNull();
    }

    private static int count(float[] mask) {
        int n = 0;
        for (float m : mask) {
            n += m != 0f ? 1 : 0;
        }
        return n;
    }
}
