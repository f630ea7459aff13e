package io.layerwise.models.runtime;

import static io.layerwise.models.testing.ReferenceTensors.relativeError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.models.ModelException;
import io.layerwise.models.nn.AttentionWeights;
import io.layerwise.models.testing.ForwardOutputs;
import io.layerwise.models.testing.SharedFiles;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A materialized pruned model computes what the masked model computes, with smaller matrices, and
 * FLOPs accounting counts what it removes. Fixtures with grouped-query attention (4 query heads over 2
 * key/value heads), so both the regular grouping and uneven groups are exercised.
 */
class ChannelPruningTest {
    private static final List<long[]> PROMPTS = List.of(new long[] {1, 17, 42, 99, 3}, new long[] {5, 250, 7});

    /** Layer 0: head 1 removed (key/value head 0 then serves one query head), half the MLP, a scaled channel. Layer 1: heads 2 and 3 removed. */
    private static Map<Integer, ChannelMask> masks(int headDim, int intermediate) {
        float[] attention0 = ones(4 * headDim);
        Arrays.fill(attention0, headDim, 2 * headDim, 0f);
        attention0[3] = 0.5f;
        float[] mlp0 = ones(intermediate);
        for (int c = 0; c < intermediate; c += 2) {
            mlp0[c] = 0f;
        }
        mlp0[1] = 0.25f;
        float[] attention1 = ones(4 * headDim);
        Arrays.fill(attention1, 2 * headDim, 4 * headDim, 0f);
        return Map.of(0, new ChannelMask(attention0, mlp0), 1, new ChannelMask(attention1, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "qwen3", "qwen2"})
    void materializedModelEqualsMaskedModel(String fixture) {
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture(fixture))) {
            Map<Integer, ChannelMask> masks = masks(model.spec().headDim(), model.spec().intermediateSize());
            Interventions masked = Interventions.none().withChannelMask(0, masks.get(0)).withChannelMask(1, masks.get(1));
            TokenBatch batch = TokenBatch.of(PROMPTS, PaddingSide.LEFT, 0);
            Taps taps = Taps.of(TapKind.RESIDUAL, TapKind.LOGITS);
            float[][] expected;
            try (ForwardResult r = model.forward(batch, taps, masked)) {
                expected = ForwardOutputs.residualsAndLogits(r, model.spec());
            }
            try (ChannelPruning.Pruned pruned = ChannelPruning.materialize(model, masks)) {
                AttentionWeights a0 = pruned.model().weights().blocks().get(0).attention();
                AttentionWeights a1 = pruned.model().weights().blocks().get(1).attention();
                int d = model.spec().headDim();
                assertThat(a0.query().outFeatures()).isEqualTo(3L * d);
                assertThat(a0.key().outFeatures()).isEqualTo(2L * d);
                assertThat(a0.kvHeadOfQuery()).containsExactly(0, 1, 1);
                assertThat(a1.query().outFeatures()).isEqualTo(2L * d);
                assertThat(a1.key().outFeatures()).isEqualTo(1L * d);
                assertThat(a1.kvHeadOfQuery()).isNull();
                assertThat(pruned.model().weights().blocks().get(0).mlp().down().inFeatures())
                        .isEqualTo(model.spec().intermediateSize() / 2);
                try (ForwardResult r = pruned.model().forward(batch, taps)) {
                    float[][] actual = ForwardOutputs.residualsAndLogits(r, model.spec());
                    for (int i = 0; i < expected.length; i++) {
                        assertThat(relativeError(expected[i], actual[i])).as("output %d", i).isLessThan(1e-5);
                    }
                }
                // and the KV-cache generation path agrees token for token
                List<long[]> fromMasked = new GreedyDecoder(model, masked, true).generate(PROMPTS, 6, Set.of());
                List<long[]> fromPruned = new GreedyDecoder(pruned.model(), Interventions.none(), true).generate(PROMPTS, 6, Set.of());
                for (int b = 0; b < PROMPTS.size(); b++) {
                    assertThat(fromPruned.get(b)).containsExactly(fromMasked.get(b));
                }
            }
            // the original model is untouched
            try (ForwardResult r = model.forward(batch, taps, masked)) {
                assertThat(ForwardOutputs.residualsAndLogits(r, model.spec())[3]).containsExactly(expected[3]);
            }
        }
    }

    @Test
    void flopsDropByTheRemovedRowsAndColumns() {
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture("llama"))) {
            // llama fixture: H 64, 4 heads of 16 over 2 kv heads, intermediate 128, gated MLP
            Map<Integer, ChannelMask> masks = masks(16, 128);
            Interventions masked = Interventions.none().withChannelMask(0, masks.get(0)).withChannelMask(1, masks.get(1));
            FlopsAccounting flops = new FlopsAccounting(model.spec());
            int n = 8;
            double removed = flops.perToken(n, Interventions.none()) - flops.perToken(n, masked);
            double keysPerQuery = (n + 1) / 2.0;
            // layer 0: one head's q rows and o columns, its QK and PV; 64 MLP channels of gate, up and down
            double layer0 = 2.0 * 64 * 16 * 2 + 2.0 * 2 * 16 * keysPerQuery + 2.0 * 3 * 64 * 64;
            // layer 1: two heads (q rows, o columns, QK, PV) and the key/value head they shared (k and v rows)
            double layer1 = 2.0 * 64 * 32 * 2 + 2.0 * 2 * 32 * keysPerQuery + 2.0 * 2 * 64 * 16;
            assertThat(removed).isCloseTo(layer0 + layer1, within(1e-6));
        }
    }

    @Test
    void refusesToRemoveEveryHead() {
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture("llama"))) {
            ChannelMask none = new ChannelMask(new float[64], null);
            assertThatThrownBy(() -> ChannelPruning.materialize(model, Map.of(1, none)))
                    .isInstanceOf(ModelException.class).hasMessageContaining("layer 1 removes every head");
        }
    }

    private static float[] ones(int n) {
        float[] a = new float[n];
        Arrays.fill(a, 1f);
        return a;
    }
}
