package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The two really trained BF16 checkpoints of {@code ../shared/models} against the float32 forward
 * Hugging Face ran on their BF16 weights: every hidden state and the logits within 1e-4, the 32
 * greedy tokens exactly, and the tokenizer giving the reference ids for the reference texts.
 */
class TrainedBf16ModelsTest {
    private static final Path MODELS = SharedFiles.root().resolve("models");

    @Test
    void tinyQwen3ChatMatchesHuggingFaceOnBothReferenceTexts() throws Exception {
        ReferenceTensors reference = new ReferenceTensors(MODELS.resolve("tiny-qwen3-chat/reference.safetensors"));
        List<String> texts = List.of(new ObjectMapper().readValue(reference.metadata("texts"), String[].class));
        try (FrozenTransformer model = FrozenTransformer.load(MODELS.resolve("tiny-qwen3-chat"))) {
            for (int s = 0; s < 2; s++) {
                String seq = "seq" + s;
                long[] ids = reference.longs(seq + ".input_ids");
                assertThat(model.requireTokenizer().encode(texts.get(s), 0)).as(seq + " tokens").containsExactly(ids);
                try (ForwardResult r = model.forward(TokenBatch.single(ids), Taps.everything())) {
                    for (int i = 0; i <= 8; i++) {
                        assertThat(diff(reference, seq + ".hidden_states." + i, r.residual(i).toFloatArray()))
                                .as(seq + " hidden_states." + i).isLessThanOrEqualTo(1e-4);
                    }
                    for (int l : new int[] {0, 7}) {
                        assertThat(diff(reference, seq + ".layers." + l + ".attn_o_proj_input", r.headOutputs(l).toFloatArray()))
                                .isLessThanOrEqualTo(1e-4);
                        assertThat(diff(reference, seq + ".layers." + l + ".mlp_down_proj_input", r.mlpChannels(l).toFloatArray()))
                                .isLessThanOrEqualTo(1e-4);
                    }
                    assertThat(diff(reference, seq + ".logits", r.logits().toFloatArray())).isLessThanOrEqualTo(1e-4);
                }
                assertThat(new GreedyDecoder(model, Interventions.none(), true).generate(List.of(ids), 32, Set.of()).get(0))
                        .containsExactly(reference.longs(seq + ".greedy_new_tokens_32"));
            }
        }
    }

    @Test
    void tinyLlamaBytesMatchesHuggingFace() {
        ReferenceTensors reference = new ReferenceTensors(MODELS.resolve("tiny-llama-bytes/reference.safetensors"));
        long[] ids = reference.longs("input_ids");
        try (FrozenTransformer model = FrozenTransformer.load(MODELS.resolve("tiny-llama-bytes"))) {
            assertThat(model.requireTokenizer().encode("Call me Ishmael. Some years ago", 0)).containsExactly(ids);
            try (ForwardResult r = model.forward(TokenBatch.single(ids), Taps.of(TapKind.RESIDUAL, TapKind.LOGITS))) {
                for (int i = 0; i <= 6; i++) {
                    assertThat(diff(reference, "hidden_states." + i, r.residual(i).toFloatArray())).isLessThanOrEqualTo(1e-4);
                }
                assertThat(diff(reference, "logits", r.logits().toFloatArray())).isLessThanOrEqualTo(1e-4);
            }
            assertThat(new GreedyDecoder(model, Interventions.none(), false).generate(List.of(ids), 32, Set.of()).get(0))
                    .containsExactly(reference.longs("greedy_new_tokens_32"));
        }
    }

    private static double diff(ReferenceTensors reference, String name, float[] actual) {
        return ReferenceTensors.maxAbsDiff(reference.floats(name), actual);
    }
}
