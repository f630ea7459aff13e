package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Greedy decoding reproduces the 12 tokens Hugging Face generated for each fixture
 * ({@code generation.safetensors}), with and without the KV cache, for both prompts alone and for
 * both together in one left-padded batch.
 */
class GreedyGenerationTest {

    @ParameterizedTest
    @CsvSource({"gpt2,true", "gpt2,false", "llama,true", "llama,false", "qwen2,true", "qwen2,false",
        "qwen3,true", "qwen3,false", "llama-bench,true", "llama-bench,false", "gemma3,true", "gemma3,false"})
    void greedyTokensEqualHuggingFace(String fixture, boolean useCache) {
        ReferenceTensors reference = new ReferenceTensors(SharedFiles.fixture(fixture).resolve("reference.safetensors"));
        ReferenceTensors generation = new ReferenceTensors(SharedFiles.fixture(fixture).resolve("generation.safetensors"));
        long[] seq0 = reference.longs("seq0.input_ids");
        long[] seq1 = reference.longs("seq1.input_ids");
        long[] expected0 = generation.longs("seq0.greedy_new_tokens_12");
        long[] expected1 = generation.longs("seq1.greedy_new_tokens_12");
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture(fixture))) {
            GreedyDecoder decoder = new GreedyDecoder(model, Interventions.none(), useCache);
            assertThat(decoder.generate(List.of(seq0), 12, Set.of()).get(0)).containsExactly(expected0);
            assertThat(decoder.generate(List.of(seq1), 12, Set.of()).get(0)).containsExactly(expected1);
            List<long[]> batched = decoder.generate(List.of(seq0, seq1), 12, Set.of());
            assertThat(batched.get(0)).containsExactly(expected0);
            assertThat(batched.get(1)).containsExactly(expected1);
        }
    }

    @ParameterizedTest
    @CsvSource({"true", "false"})
    void rowStopsAtItsStopIdWhileOthersContinue(boolean useCache) {
        ReferenceTensors reference = new ReferenceTensors(SharedFiles.fixture("llama").resolve("reference.safetensors"));
        ReferenceTensors generation = new ReferenceTensors(SharedFiles.fixture("llama").resolve("generation.safetensors"));
        long[] expected0 = generation.longs("seq0.greedy_new_tokens_12");
        long[] expected1 = generation.longs("seq1.greedy_new_tokens_12");
        long stop = expected0[2];
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture("llama"))) {
            List<long[]> out = new GreedyDecoder(model, Interventions.none(), useCache).generate(
                    List.of(reference.longs("seq0.input_ids"), reference.longs("seq1.input_ids")), 12, Set.of(stop));
            assertThat(out.get(0)).containsExactly(expected0[0], expected0[1], expected0[2]);
            int firstStop = 0;
            while (firstStop < 12 && expected1[firstStop] != stop) {
                firstStop++;
            }
            assertThat(out.get(1)).containsExactly(java.util.Arrays.copyOf(expected1, Math.min(12, firstStop + 1)));
        }
    }
}
