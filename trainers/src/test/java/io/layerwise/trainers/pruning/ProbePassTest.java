package io.layerwise.trainers.pruning;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probe pass on the Llama fixture (2 blocks, 4 heads of 16, 128 MLP channels): its energies are the
 * hand-computed mean squared activations of the chosen rows alone (padding excluded), the chosen row is
 * the one with the largest residual norm, and its FLOPs are those of the blocks it ran over its tokens.
 */
class ProbePassTest {
    static final List<long[]> SEQUENCES = List.of(new long[] {3, 17, 42, 99, 5}, new long[] {200, 7, 9},
            new long[] {1, 2, 250, 33, 64, 128});
    private static final List<Integer> LAYERS = List.of(0, 1);
    private static FrozenTransformer model;

    @BeforeAll
    static void load() {
        model = FrozenTransformer.load(ProbeImportanceTest.FIXTURES.resolve("llama"));
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void fullProbeEnergiesEqualMeanSquaresOfEachSequenceAlone() {
        ProbePass.Result r = new ProbePass(1.0, 1.0).run(model, batch(), LAYERS);
        double[][] expected = handEnergies(SEQUENCES, 1);
        assertThat(r.rows()).isEqualTo(3);
        assertThat(r.tokens()).isEqualTo(14);
        for (int c = 0; c < 128; c++) {
            assertThat((double) r.energies().mlp()[1][c]).isCloseTo(expected[1][c], within(1e-5 * (1 + expected[1][c])));
        }
        for (int c = 0; c < 64; c++) {
            assertThat((double) r.energies().attention()[1][c]).isCloseTo(expected[0][c], within(1e-5 * (1 + expected[0][c])));
        }
    }

    @Test
    void oneRowProbeTakesTheRowWithTheLargestResidualNormAndCountsItsFlops() {
        int strongest = 0;
        double best = -1;
        for (int s = 0; s < SEQUENCES.size(); s++) {
            try (ForwardResult f = model.forward(TokenBatch.single(SEQUENCES.get(s)), Taps.of(TapKind.RESIDUAL).onLayers(0))) {
                double norm = 0;
                for (float x : f.residual(0).toFloatArray()) {
                    norm += x * x;
                }
                if (norm > best) {
                    best = norm;
                    strongest = s;
                }
            }
        }
        ProbePass.Result r = new ProbePass(0.3, 1.0).run(model, batch(), LAYERS);
        double[][] expected = handEnergies(List.of(SEQUENCES.get(strongest)), 1);
        assertThat(r.rows()).isEqualTo(1);
        assertThat(r.tokens()).isEqualTo(SEQUENCES.get(strongest).length);
        assertThat((double) r.energies().mlp()[1][5]).isCloseTo(expected[1][5], within(1e-5 * (1 + expected[1][5])));
        // two blocks over the probe's tokens: per token q 64x64, k/v 64x32, o 64x64, MLP 3x64x128 MACs,
        // plus QK and PV of 4 heads of 16 over (n + 1) / 2 keys on average
        int n = SEQUENCES.get(strongest).length;
        double perToken = 2.0 * (64 * 64 + 2 * 64 * 32 + 64 * 64 + 3 * 64 * 128) + 2.0 * 2 * 4 * 16 * (n + 1) / 2.0;
        assertThat(r.flops()).isCloseTo(2 * perToken * n, within(1e-6));
    }

    @Test
    void tokenFractionKeepsThatShareOfTheColumns() {
        ProbePass.Result r = new ProbePass(1.0, 0.5).run(model, batch(), LAYERS);
        // 3 of the 6 columns: the last 3 are real in every row, the first 3 only in the longest
        assertThat(r.tokens()).isBetween(3L, 9L);
        assertThat(r.energies().layers()).containsExactly(0, 1);
    }

    static TokenBatch batch() {
        return TokenBatch.of(SEQUENCES, PaddingSide.LEFT, 0);
    }

    /** {@code [head channels, MLP channels]} of block {@code layer}: mean squares over every token of each sequence run alone. */
    private static double[][] handEnergies(List<long[]> sequences, int layer) {
        double[] heads = new double[64];
        double[] mlp = new double[128];
        long tokens = 0;
        for (long[] s : sequences) {
            try (ForwardResult f = model.forward(TokenBatch.single(s),
                    Taps.of(TapKind.HEAD_OUTPUTS, TapKind.MLP_CHANNELS).onLayers(layer))) {
                float[] h = f.headOutputs(layer).toFloatArray();
                float[] m = f.mlpChannels(layer).toFloatArray();
                for (int i = 0; i < h.length; i++) {
                    heads[i % 64] += (double) h[i] * h[i];
                }
                for (int i = 0; i < m.length; i++) {
                    mlp[i % 128] += (double) m[i] * m[i];
                }
            }
            tokens += s.length;
        }
        for (int c = 0; c < 64; c++) {
            heads[c] /= tokens;
        }
        for (int c = 0; c < 128; c++) {
            mlp[c] /= tokens;
        }
        return new double[][] {heads, mlp};
    }
}
