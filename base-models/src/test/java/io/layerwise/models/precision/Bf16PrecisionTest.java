package io.layerwise.models.precision;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.GreedyDecoder;
import io.layerwise.models.runtime.Interventions;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import io.layerwise.models.runtime.Workload;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * {@code bf16} against {@code f32} on the two really trained bf16 checkpoints of
 * {@code ../shared/models}: every hidden state within 2e-2 relative (Frobenius) error, and greedy
 * generation agreeing with Hugging Face's reference on the first 16 tokens. ({@code f32} on these
 * checkpoints is checked against Hugging Face to 1e-4 by {@code TrainedBf16ModelsTest}.)
 */
class Bf16PrecisionTest {
    private static final Path MODELS = SharedFiles.root().resolve("models");
    private static final double MAX_RELATIVE_ERROR = 2e-2;
    private static final int AGREED_TOKENS = 16;

    @Test
    void tinyLlamaBytesInBf16StaysWithinTwoPercentAndGeneratesTheSameSixteenTokens() {
        ReferenceTensors reference = new ReferenceTensors(MODELS.resolve("tiny-llama-bytes/reference.safetensors"));
        checkModel(MODELS.resolve("tiny-llama-bytes"), List.of(reference.longs("input_ids")),
                List.of(reference.longs("greedy_new_tokens_32")), false);
    }

    @Test
    void tinyQwen3ChatInBf16StaysWithinTwoPercentAndGeneratesTheSameSixteenTokensOnBothTexts() {
        ReferenceTensors reference = new ReferenceTensors(MODELS.resolve("tiny-qwen3-chat/reference.safetensors"));
        checkModel(MODELS.resolve("tiny-qwen3-chat"),
                List.of(reference.longs("seq0.input_ids"), reference.longs("seq1.input_ids")),
                List.of(reference.longs("seq0.greedy_new_tokens_32"), reference.longs("seq1.greedy_new_tokens_32")), true);
    }

    private static void checkModel(Path dir, List<long[]> prompts, List<long[]> greedy, boolean cache) {
        try (FrozenTransformer f32 = FrozenTransformer.load(dir, Precision.F32, Workload.minimal());
             FrozenTransformer bf16 = FrozenTransformer.load(dir, Precision.BF16, Workload.minimal())) {
            assertThat(bf16.precision()).isEqualTo(Precision.BF16);
            int layers = f32.spec().numLayers();
            for (int s = 0; s < prompts.size(); s++) {
                TokenBatch batch = TokenBatch.single(prompts.get(s));
                Taps taps = Taps.of(TapKind.RESIDUAL, TapKind.LOGITS);
                double worst = 0;
                try (ForwardResult exact = f32.forward(batch, taps); ForwardResult fast = bf16.forward(batch, taps)) {
                    for (int i = 0; i <= layers; i++) {
                        double error = relativeError(exact.residual(i).toFloatArray(), fast.residual(i).toFloatArray());
                        assertThat(error).as("%s seq %d hidden_states.%d", dir.getFileName(), s, i)
                                .isLessThanOrEqualTo(MAX_RELATIVE_ERROR);
                        worst = Math.max(worst, error);
                    }
                    System.out.printf("%s seq %d: bf16 vs f32 worst hidden-state relative error %.2e, logits %.2e%n",
                            dir.getFileName(), s, worst,
                            relativeError(exact.logits().toFloatArray(), fast.logits().toFloatArray()));
                }
                long[] generated = new GreedyDecoder(bf16, Interventions.none(), cache)
                        .generate(List.of(prompts.get(s)), AGREED_TOKENS, Set.of()).get(0);
                assertThat(generated).as("%s seq %d greedy tokens in bf16", dir.getFileName(), s)
                        .containsExactly(Arrays.copyOf(greedy.get(s), AGREED_TOKENS));
            }
        }
    }

    /** {@code ||actual - expected||_F / ||expected||_F}. */
    static double relativeError(float[] expected, float[] actual) {
        assertThat(actual).hasSameSizeAs(expected);
        double difference = 0;
        double norm = 0;
        for (int i = 0; i < expected.length; i++) {
            double d = (double) actual[i] - expected[i];
            difference += d * d;
            norm += (double) expected[i] * expected[i];
        }
        return Math.sqrt(difference / norm);
    }
}
