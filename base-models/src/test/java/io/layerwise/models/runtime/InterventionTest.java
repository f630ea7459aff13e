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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Interventions inside the forward pass, on the GQA Llama fixture and on Gemma 3 (four norms per block, sliding layers). */
class InterventionTest {
    private static final TokenBatch BATCH = TokenBatch.single(new long[] {1, 17, 42, 256, 3, 99, 128});
    private FrozenTransformer model;
    private int hidden;
    private int heads;
    private int headDim;

    private void load(String fixture) {
        model = FrozenTransformer.load(SharedFiles.fixture(fixture));
        hidden = model.spec().hiddenSize();
        heads = model.spec().numHeads();
        headDim = model.spec().headDim();
    }

    @AfterEach
    void close() {
        model.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void ablationAtAlphaOneRemovesComponentAlongDirection(String fixture) {
        load(fixture);
        float[] v = randomDirection(hidden, 7);
        Interventions iv = Interventions.none().withAblation(new DirectionAblation(Set.of(0, 1), v, 1f));
        try (ForwardResult r = model.forward(BATCH, Taps.of(TapKind.RESIDUAL), iv)) {
            float[] unit = new DirectionAblation(Set.of(), v, 1f).direction();
            for (int layer : new int[] {0, 1}) {
                float[] h = r.residual(layer).toFloatArray();
                for (int t = 0; t < 7; t++) {
                    double dot = 0;
                    for (int j = 0; j < hidden; j++) {
                        dot += h[t * hidden + j] * unit[j];
                    }
                    assertThat(Math.abs(dot)).as("layer %d token %d", layer, t).isLessThan(1e-5);
                }
            }
        }
        try (ForwardResult dense = model.forward(BATCH, Taps.of(TapKind.RESIDUAL))) {
            assertThat(Math.abs(dot(dense.residual(1), v))).as("the dense stream does have a component").isGreaterThan(1e-2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void ablationAtAlphaZeroChangesNothing(String fixture) {
        load(fixture);
        Interventions iv = Interventions.none().withAblation(new DirectionAblation(Set.of(0, 1, 2), randomDirection(hidden, 3), 0f));
        assertThat(outputs(iv)).isEqualTo(outputs(Interventions.none()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void allOnesHeadMaskEqualsDenseModel(String fixture) {
        load(fixture);
        float[] ones = new float[heads];
        Arrays.fill(ones, 1f);
        Interventions iv = Interventions.none().withHeadMask(0, ones).withHeadMask(1, ones);
        assertThat(outputs(iv)).isEqualTo(outputs(Interventions.none()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void maskingHeadEqualsZeroingItsSliceOfOutputProjectionInput(String fixture) {
        load(fixture);
        float[] mask = new float[heads];
        Arrays.fill(mask, 1f);
        mask[2] = 0f;
        float[] channels = new float[heads * headDim];
        Arrays.fill(channels, 1f);
        Arrays.fill(channels, 2 * headDim, 3 * headDim, 0f);
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

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void perTokenHeadGateActsOnlyWhereItIsZero(String fixture) {
        load(fixture);
        HeadGate gate = (layer, input) -> {
            float[] weights = new float[7 * heads];
            Arrays.fill(weights, 1f);
            if (layer == 1) {
                weights[3 * heads + 1] = 0f; // token 3, head 1
            }
            return input.getManager().create(weights, new Shape(1, 7, heads));
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

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void droppedLayerPassesResidualThroughUnchanged(String fixture) {
        load(fixture);
        Interventions iv = Interventions.none().withDroppedLayers(Set.of(0));
        try (ForwardResult r = model.forward(BATCH, Taps.of(TapKind.RESIDUAL), iv)) {
            assertThat(r.residual(1).toFloatArray()).containsExactly(r.residual(0).toFloatArray());
        }
        try (FrozenTransformer bert = FrozenTransformer.load(SharedFiles.fixture("bert"));
             ForwardResult r = bert.forward(BATCH, Taps.of(TapKind.RESIDUAL), Interventions.none().withDroppedLayers(Set.of(1)))) {
            assertThat(r.residual(2).toFloatArray()).containsExactly(r.residual(1).toFloatArray());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gemma3"})
    void interventionOutsideTheModelIsRejected(String fixture) {
        load(fixture);
        assertThatThrownBy(() -> model.forward(BATCH, Taps.of(TapKind.LOGITS),
                Interventions.none().withDroppedLayers(Set.of(5)))).isInstanceOf(ModelException.class)
                .hasMessageContaining("dropped layer 5");
        assertThatThrownBy(() -> model.forward(BATCH, Taps.of(TapKind.LOGITS),
                Interventions.none().withAblation(new DirectionAblation(Set.of(1), new float[10], 1f))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private float[] outputs(Interventions iv) {
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
