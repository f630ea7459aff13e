package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A sequence's outputs inside a padded batch equal its outputs when it runs alone. */
class PaddedBatchTest {
    private static final long[] SEQ0 = {1, 17, 42, 256, 3, 99, 128};
    private static final long[] SEQ1 = {200, 5, 77, 0, 31};

    @ParameterizedTest
    @CsvSource({"gpt2,LEFT", "gpt2,RIGHT", "llama,LEFT", "llama,RIGHT", "qwen2,LEFT", "qwen2,RIGHT",
        "qwen3,LEFT", "qwen3,RIGHT", "bert,RIGHT", "bert,LEFT", "llama3-rope,LEFT", "gemma3,LEFT", "gemma3,RIGHT"})
    void paddedRowsEqualUnpaddedRuns(String fixture, PaddingSide side) {
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture(fixture))) {
            Taps taps = model.spec().causal() ? Taps.everything() : Taps.of(TapKind.RESIDUAL, TapKind.HEAD_OUTPUTS,
                    TapKind.MLP_CHANNELS);
            TokenBatch batch = TokenBatch.of(List.of(SEQ0, SEQ1), side, model.spec().padTokenId());
            try (ForwardResult together = model.forward(batch, taps)) {
                for (int row = 0; row < 2; row++) {
                    long[] seq = row == 0 ? SEQ0 : SEQ1;
                    int offset = side == PaddingSide.LEFT ? batch.width() - seq.length : 0;
                    try (ForwardResult alone = model.forward(TokenBatch.single(seq), taps)) {
                        int r = row;
                        BiFunction<NDArray, NDArray, Double> rowDiff = (padded, single) -> ReferenceTensors.maxAbsDiff(
                                single.get(0).toFloatArray(),
                                padded.get(new NDIndex("{}, {}:{}", r, offset, offset + seq.length)).toFloatArray());
                        for (int i = 0; i <= model.spec().numLayers(); i++) {
                            assertThat(rowDiff.apply(together.residual(i), alone.residual(i))).as("residual " + i)
                                    .isLessThanOrEqualTo(5e-5);
                        }
                        for (int l = 0; l < model.spec().numLayers(); l++) {
                            assertThat(rowDiff.apply(together.headOutputs(l), alone.headOutputs(l))).isLessThanOrEqualTo(5e-5);
                            assertThat(rowDiff.apply(together.mlpChannels(l), alone.mlpChannels(l))).isLessThanOrEqualTo(5e-5);
                        }
                        if (model.spec().causal()) {
                            assertThat(rowDiff.apply(together.logits(), alone.logits())).isLessThanOrEqualTo(1e-4);
                        }
                    }
                }
            }
        }
    }
}
