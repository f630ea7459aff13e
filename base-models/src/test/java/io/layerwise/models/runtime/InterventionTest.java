package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import static io.layerwise.models.testing.ReferenceTensors.maxAbsDiff;

import io.layerwise.models.ModelException;
import io.layerwise.models.testing.SharedFiles;
import java.util.Arrays;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Interventions inside the forward pass, on the GQA Llama fixture. */
class InterventionTest {
    private static final TokenBatch BATCH = TokenBatch.single(new long[] {1, 17, 42, 256, 3, 99, 128});
    private static FrozenTransformer model;

    @BeforeAll
    static void load() {
        model = FrozenTransformer.load(SharedFiles.fixture("llama"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void ablationAtAlphaOneRemovesComponentAlongDirection() {
        float[] v = randomDirection(64, 7);
        Interventions iv = Interventions.none().withAblation(new DirectionAblation(Set.of(0, 1), v, 1f));
        try (ForwardResult r = model.forward(BATCH, Taps.of(TapKind.RESIDUAL), iv)) {
            float[] unit = new DirectionAblation(Set.of(), v, 1f).direction();
            for (int layer : new int[] {0, 1}) {
                float[] h = r.residual(layer).toFloatArray();
                for (int t = 0; t < 7; t++) {
                    double dot = 0;
                    for (int j = 0; j < 64; j++) {
                        dot += h[t * 64 + j] * unit[j];
                    }
                    assertThat(Math.abs(dot)).as("layer %d token %d", layer, t).isLessThan(1e-5);
                }
            }
        }
        try (ForwardResult dense = model.forward(BATCH, Taps.of(TapKind.RESIDUAL))) {
            assertThat(Math.abs(dot(dense.residual(1), v))).as("the dense stream does have a component").isGreaterThan(1e-2);
        }
    }

    @Test
    void ablationAtAlphaZeroChangesNothing() {
        Interventions iv = Interventions.none().withAblation(new DirectionAblation(Set.of(0, 1, 2), randomDirection(64, 3), 0f));
        assertThat(outputs(iv)).isEqualTo(outputs(Interventions.none()));
    }

    @Test
    void allOnesHeadMaskEqualsDenseModel() {
        float[] ones = new float[4];
        Arrays.fill(ones, 1f);
        Interventions iv = Interventions.none().withHeadMask(0, ones).withHeadMask(1, ones);
        assertThat(outputs(iv)).isEqualTo(outputs(Interventions.none()));
    }

    @Test
    void maskingHeadEqualsZeroingItsSliceOfOutputProjectionInput() {
        float[] mask = {1, 1, 0, 1};
        float[] channels = new float[64];
        Arrays.fill(channels, 1f);
        Arrays.fill(channels, 32, 48, 0f);
        Interventions headMasked = Interventions.none().withHeadMask(0, mask);
        Interventions channelMasked = Interventions.none().withChannelMask(0, new ChannelMask(channels, null));
        try (ForwardResult dense = model.forward(BATCH, Taps.everything());
             ForwardResult masked = model.forward(BATCH, Taps.everything(), headMasked)) {
            NDArray expected = dense.headOutputs(0).duplicate();
            expected.set(new NDIndex(":, :, 2, :"), 0f);
            assertThat(maxAbsDiff(expected.toFloatArray(), masked.headOutputs(0).toFloatArray())).isZero();
        }
        assertThat(outputs(headMasked)).isEqualTo(outputs(channelMasked)).isNotEqualTo(outputs(Interventions.none()));
    }

    @Test
    void perTokenHeadGateActsOnlyWhereItIsZero() {
        HeadGate gate = (layer, input) -> {
            float[] weights = new float[7 * 4];
            Arrays.fill(weights, 1f);
            if (layer == 1) {
                weights[3 * 4 + 1] = 0f; // token 3, head 1
            }
            return input.getManager().create(weights, new Shape(1, 7, 4));
        };
        try (ForwardResult dense = model.forward(BATCH, Taps.of(TapKind.HEAD_OUTPUTS));
             ForwardResult gated = model.forward(BATCH, Taps.of(TapKind.HEAD_OUTPUTS),
                     Interventions.none().withHeadGate(gate))) {
            NDArray expected = dense.headOutputs(1).duplicate();
            expected.set(new NDIndex("0, 3, 1, :"), 0f);
            assertThat(maxAbsDiff(expected.toFloatArray(), gated.headOutputs(1).toFloatArray())).isZero();
            assertThat(gated.headOutputs(0).toFloatArray()).containsExactly(dense.headOutputs(0).toFloatArray());
        }
    }

    @Test
    void droppedLayerPassesResidualThroughUnchanged() {
        Interventions iv = Interventions.none().withDroppedLayers(Set.of(0));
        try (ForwardResult r = model.forward(BATCH, Taps.of(TapKind.RESIDUAL), iv)) {
            assertThat(r.residual(1).toFloatArray()).containsExactly(r.residual(0).toFloatArray());
        }
        try (FrozenTransformer bert = FrozenTransformer.load(SharedFiles.fixture("bert"));
             ForwardResult r = bert.forward(BATCH, Taps.of(TapKind.RESIDUAL), Interventions.none().withDroppedLayers(Set.of(1)))) {
            assertThat(r.residual(2).toFloatArray()).containsExactly(r.residual(1).toFloatArray());
        }
    }

    @Test
    void interventionOutsideTheModelIsRejected() {
        assertThatThrownBy(() -> model.forward(BATCH, Taps.of(TapKind.LOGITS),
                Interventions.none().withDroppedLayers(Set.of(5)))).isInstanceOf(ModelException.class)
                .hasMessageContaining("dropped layer 5");
        assertThatThrownBy(() -> model.forward(BATCH, Taps.of(TapKind.LOGITS),
                Interventions.none().withAblation(new DirectionAblation(Set.of(1), new float[10], 1f))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static float[] outputs(Interventions iv) {
        try (ForwardResult r = model.forward(BATCH, Taps.of(TapKind.LOGITS), iv)) {
            return r.logits().toFloatArray();
        }
    }

    private static double dot(NDArray h, float[] v) {
        float[] values = h.toFloatArray();
        double dot = 0;
        for (int j = 0; j < v.length; j++) {
            dot += values[j] * v[j];
        }
        return dot;
    }

    private static float[] randomDirection(int n, long seed) {
        Random random = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }
}
