package io.layerwise.trainers.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layerwise.checkpoints.bundle.BundleException;
import io.layerwise.checkpoints.bundle.BundleKind;
import io.layerwise.checkpoints.bundle.ProbeCard;
import io.layerwise.checkpoints.bundle.TensorBundle;
import io.layerwise.models.runtime.FlopsAccounting;
import io.layerwise.models.runtime.ChannelMask;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routers inside the forward pass of the Llama fixture (2 blocks, 4 heads, hidden 64): keeping every
 * head is exactly the dense model; a router written as a bundle and read back gates the forward pass
 * exactly as before; and the attention FLOPs it saves agree with {@link FlopsAccounting} for the same
 * number of heads removed.
 */
class RoutedForwardTest {
    private static final Path FIXTURE = Path.of(System.getProperty("layerwise.shared", "../shared")).resolve("fixtures/llama");
    private static FrozenTransformer model;
    private static TokenBatch batch;

    @TempDir
    Path temp;

    @BeforeAll
    static void load() {
        model = FrozenTransformer.load(FIXTURE);
        batch = TokenBatch.of(FixtureRows.randomSequences(3, 12, model.spec().vocabSize(), 5).stream()
                .toList(), PaddingSide.RIGHT, 0);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void keepingEveryHeadEqualsTheDenseModelExactly() {
        float[] dense = logits(Interventions.none());
        for (int[] shared : new int[][] {{}, {2}, {0, 3}}) {
            int[] routed = HeadImportance.complement(4, shared);
            List<HeadRouter> routers = List.of(router(0, shared, routed.length, GateWeighting.MASK, false, 1),
                    router(1, shared, routed.length, GateWeighting.MASK, false, 2));
            assertThat(logits(Interventions.none().withHeadGate(new RouterGate(routers)))).isEqualTo(dense);
        }
    }

    @Test
    void routingWithFewerHeadsChangesTheOutputAndDropsExactlyTheUnchosenHeads() {
        HeadRouter router = router(1, new int[] {0}, 1, GateWeighting.MASK, false, 3);
        float[] routed = logits(Interventions.none().withHeadGate(new RouterGate(List.of(router))));
        assertThat(routed).isNotEqualTo(logits(Interventions.none()));
        try (ForwardResult r = model.forward(batch, Taps.of(TapKind.ATTENTION_INPUT, TapKind.HEAD_OUTPUTS).onLayers(1),
                Interventions.none().withHeadGate(new RouterGate(List.of(router))))) {
            float[] x = r.attentionInput(1).toFloatArray();
            float[] heads = r.headOutputs(1).toFloatArray();
            int hidden = model.spec().hiddenSize();
            int d = model.spec().headDim();
            for (int t = 0; t < x.length / hidden; t++) {
                float[] gates = router.gates(java.util.Arrays.copyOfRange(x, t * hidden, (t + 1) * hidden));
                for (int h = 0; h < 4; h++) {
                    boolean allZero = true;
                    for (int c = 0; c < d; c++) {
                        allZero &= heads[(t * 4 + h) * d + c] == 0f;
                    }
                    assertThat(allZero).as("token %d head %d", t, h).isEqualTo(gates[h] == 0f);
                }
            }
        }
    }

    @Test
    void routerBundleRoundTripsIntoTheForwardPass() {
        for (GateWeighting weighting : GateWeighting.values()) {
            HeadRouter router = router(0, new int[] {1}, 2, weighting, weighting == GateWeighting.SCORES, 4);
            Path dir = temp.resolve("router-" + weighting.configName());
            new RouterBundle(card(router), router).write(dir);
            RouterBundle read = RouterBundle.read(dir);
            assertThat(read.router().routerWeight()).isDeepEqualTo(router.routerWeight());
            assertThat(read.router().mixWeight()).isDeepEqualTo(router.mixWeight());
            assertThat(read.router().shared()).containsExactly(router.shared());
            assertThat(read.router().routed()).containsExactly(router.routed());
            assertThat(read.card().weighting()).isEqualTo(weighting);
            assertThat(logits(Interventions.none().withHeadGate(new RouterGate(List.of(read.router())))))
                    .isEqualTo(logits(Interventions.none().withHeadGate(new RouterGate(List.of(router)))));
        }
    }

    @Test
    void bundleWhoseTensorDisagreesWithItsCardIsRefusedNamingTheTensor() throws Exception {
        HeadRouter router = router(0, new int[] {1}, 2, GateWeighting.MASK, false, 4);
        RouterCard card = card(router);
        RouterCard wrong = new RouterCard(card.format(), card.kind(), card.baseModel(), 0, card.tap(), 4, new int[] {1, 2},
                new int[] {0, 3}, 1, card.weighting(), false, card.output(), Map.of(), Map.of(), "fp", 1, "now", "0.1.0");
        Path dir = temp.resolve("bad");
        new RouterBundle(card, router).write(dir);
        Files.writeString(dir.resolve("card.json"), TensorBundle.read(dir, RouterBundle.TENSOR_FILE).cardJson()
                .put("shared_heads", (String) null).toString());
        assertThatThrownBy(() -> RouterBundle.read(dir)).isInstanceOf(BundleException.class).hasMessageContaining("card.json");
        new RouterBundle(wrong, router(0, new int[] {1}, 2, GateWeighting.MASK, false, 4)).write(dir);
        assertThatThrownBy(() -> RouterBundle.read(dir)).isInstanceOf(BundleException.class)
                .hasMessageContaining("router.weight").hasMessageContaining("[3, 64]");
    }

    @Test
    void attentionFlopsSavedEqualTheFlopsAccountingOfTheSameHeadsRemoved() {
        AttentionFlops flops = new AttentionFlops(model.spec());
        int length = 40;
        double dense = flops.perToken(flops.allHeads(), length, 0);
        double oneHeadLess = flops.perToken(new int[] {3, 3}, length, 0);
        int d = model.spec().headDim();
        float[] keep = new float[model.spec().attentionWidth()];
        java.util.Arrays.fill(keep, 0, 3 * d, 1f);
        Interventions masked = Interventions.none().withChannelMask(0, new ChannelMask(keep, null))
                .withChannelMask(1, new ChannelMask(keep, null));
        FlopsAccounting whole = new FlopsAccounting(model.spec());
        assertThat(dense - oneHeadLess).isCloseTo(whole.perToken(length, Interventions.none()) - whole.perToken(length, masked),
                org.assertj.core.api.Assertions.within(1e-6));
    }

    private static float[] logits(Interventions interventions) {
        try (ForwardResult r = model.forward(batch, Taps.of(TapKind.LOGITS), interventions)) {
            return r.logits().toFloatArray();
        }
    }

    private static HeadRouter router(int layer, int[] shared, int topK, GateWeighting weighting, boolean twoWay, long seed) {
        int[] routed = HeadImportance.complement(4, shared);
        Random random = new Random(seed);
        float[][] w = new float[routed.length][64];
        for (float[] row : w) {
            for (int c = 0; c < row.length; c++) {
                row[c] = (float) random.nextGaussian();
            }
        }
        float[][] mix = null;
        if (twoWay) {
            mix = new float[2][64];
            for (float[] row : mix) {
                for (int c = 0; c < row.length; c++) {
                    row[c] = (float) (0.1 * random.nextGaussian());
                }
            }
        }
        return new HeadRouter(layer, 4, shared, routed, topK, weighting, w, mix);
    }

    private static RouterCard card(HeadRouter router) {
        return new RouterCard(TensorBundle.FORMAT, BundleKind.ROUTER, new ProbeCard.BaseModel(model.id(),
                model.weightFingerprint(), "llama", "f32"), router.layer(), "attention_input", router.heads(), router.shared(),
                router.routed(), router.topK(), router.weighting(), router.mixWeight() != null, RouterCard.OUTPUT,
                Map.of("x", 1.0), Map.of("seed", 1), "fingerprint", 1, "2026-11-24T00:00:00Z", "0.1.0");
    }
}
