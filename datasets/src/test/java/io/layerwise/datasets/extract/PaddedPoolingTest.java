package io.layerwise.datasets.extract;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.datasets.store.ActivationTap;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pooling reads only each text's own tokens: a row pooled inside a left- or right-padded batch equals
 * the same text pooled from a forward pass of that text alone, for every pooling and tap, on the
 * Hugging Face reference fixtures of a decoder (Llama) and an encoder (BERT).
 */
class PaddedPoolingTest {
    private static final List<long[]> TEXTS = List.of(
            new long[] {1, 17, 42, 256, 3, 99, 128, 7, 8},
            new long[] {200, 5, 77},
            new long[] {31, 4, 250, 12, 66},
            new long[] {9});
    private static final double TOLERANCE = 5e-5;

    @ParameterizedTest
    @CsvSource({"llama,LEFT", "llama,RIGHT", "bert,RIGHT", "bert,LEFT"})
    void pooledRowsOfAPaddedBatchEqualPoolingEachTextAlone(String fixture, PaddingSide side) {
        Path dir = Path.of(System.getProperty("layerwise.shared", "../shared"), "fixtures", fixture);
        try (FrozenTransformer model = FrozenTransformer.load(dir)) {
            Taps taps = Taps.of(ActivationTap.RESIDUAL.kind(), ActivationTap.HEADS.kind(), ActivationTap.MLP.kind(),
                    ActivationTap.ATTENTION_INPUT.kind());
            TokenBatch batch = TokenBatch.of(TEXTS, side, model.spec().padTokenId());
            try (ForwardResult together = model.forward(batch, taps)) {
                for (int row = 0; row < TEXTS.size(); row++) {
                    TokenBatch single = TokenBatch.single(TEXTS.get(row));
                    try (ForwardResult alone = model.forward(single, taps)) {
                        for (ActivationTap tap : ActivationTap.values()) {
                            int dim = tap.dim(model.spec());
                            for (int layer = 0; layer < tap.layerCount(model.spec()); layer++) {
                                FloatBuffer padded = FloatBuffer.wrap(tap.tensor(together, layer).toFloatArray());
                                FloatBuffer unpadded = FloatBuffer.wrap(tap.tensor(alone, layer).toFloatArray());
                                for (Pooling pooling : Pooling.values()) {
                                    float[] expected = pooling.pool(unpadded, single.mask()[0], 0, single.width(), dim);
                                    float[] actual = pooling.pool(padded, batch.mask()[row], row, batch.width(), dim);
                                    assertThat(maxAbsDiff(actual, expected))
                                            .as("%s %s row %d %s layer %d %s", fixture, side, row, tap, layer, pooling)
                                            .isLessThanOrEqualTo(TOLERANCE);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
