package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.layerwise.models.scoring.NextTokenLogProbs;
import io.layerwise.models.scoring.Perplexity;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Scoring primitives against Hugging Face: next-token log-probabilities and the trained model's perplexity. */
class ScoringTest {

    @Test
    void nextTokenLogProbsEqualLogSoftmaxOfReferenceLogits() {
        ReferenceTensors reference = new ReferenceTensors(SharedFiles.fixture("qwen3").resolve("reference.safetensors"));
        long[] seq0 = reference.longs("seq0.input_ids");
        long[] seq1 = reference.longs("seq1.input_ids");
        long[] candidates = {3, 17, 256};
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture("qwen3"))) {
            float[][] scores = new NextTokenLogProbs(model, Interventions.none()).score(List.of(seq0, seq1), candidates);
            for (int s = 0; s < 2; s++) {
                float[] logits = reference.floats("seq" + s + ".logits");
                int vocab = 257;
                int last = logits.length / vocab - 1;
                double max = Double.NEGATIVE_INFINITY;
                for (int v = 0; v < vocab; v++) {
                    max = Math.max(max, logits[last * vocab + v]);
                }
                double sum = 0;
                for (int v = 0; v < vocab; v++) {
                    sum += Math.exp(logits[last * vocab + v] - max);
                }
                for (int c = 0; c < candidates.length; c++) {
                    double expected = logits[last * vocab + (int) candidates[c]] - max - Math.log(sum);
                    assertThat((double) scores[s][c]).isCloseTo(expected, within(1e-4));
                }
            }
        }
    }

    @Test
    void tinyQwen3ChatPerplexityOnHeldOutTextMatchesItsModelCard() throws Exception {
        Path models = SharedFiles.root().resolve("models");
        String heldout = Files.readString(SharedFiles.root().resolve("data/testbed/heldout.txt"));
        try (FrozenTransformer model = FrozenTransformer.load(models.resolve("tiny-qwen3-chat"))) {
            long[] tokens = model.requireTokenizer().encode(heldout, 0);
            assertThat(tokens).hasSize(52_415);
            Perplexity.Result result = new Perplexity(model, Interventions.none(), 512, 8).measure(tokens);
            // card: perplexity 53.78 (3.9848 nats/token over 52,312 predictions), HF transformers 5.17
            assertThat(result.predicted()).isEqualTo(52_312);
            assertThat(result.perplexity()).isCloseTo(53.78, within(53.78 * 0.005));
        }
    }
}
