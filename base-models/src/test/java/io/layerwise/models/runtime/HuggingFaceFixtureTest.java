package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every family against the outputs Hugging Face {@code transformers} computed for the tiny random
 * fixtures in {@code ../shared/fixtures} (see its README): hidden states, attention probabilities,
 * per-head outputs, MLP channels and logits, each within 1e-4.
 */
class HuggingFaceFixtureTest {
    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "llama", "qwen2", "qwen3", "bert", "llama3-rope", "llama-bench", "gemma3"})
    void everyTapMatchesHuggingFace(String fixture) {
        ReferenceTensors reference = new ReferenceTensors(SharedFiles.fixture(fixture).resolve("reference.safetensors"));
        try (FrozenTransformer model = FrozenTransformer.load(SharedFiles.fixture(fixture))) {
            TransformerSpec spec = model.spec();
            for (String seq : List.of("seq0", "seq1")) {
                long[] ids = reference.longs(seq + ".input_ids");
                Map<String, Double> errors = new LinkedHashMap<>();
                try (ForwardResult r = model.forward(TokenBatch.single(ids), Taps.everything())) {
                    for (int i = 0; i <= spec.numLayers(); i++) {
                        errors.put("hidden_states." + i, diff(reference, seq + ".hidden_states." + i, r.residual(i)));
                    }
                    for (int l = 0; l < spec.numLayers(); l++) {
                        errors.put("attentions." + l, diff(reference, seq + ".attentions." + l, r.attentionProbs(l)));
                        String hook = seq + ".layers." + l + ".";
                        if (reference.has(hook + "attn_o_proj_input")) {
                            errors.put("attn_o_proj_input." + l, diff(reference, hook + "attn_o_proj_input", r.headOutputs(l)));
                            errors.put("mlp_down_proj_input." + l, diff(reference, hook + "mlp_down_proj_input", r.mlpChannels(l)));
                        }
                    }
                    if (spec.causal()) {
                        errors.put("logits", diff(reference, seq + ".logits", r.logits()));
                    }
                }
                List<String> failures = new ArrayList<>();
                errors.forEach((name, error) -> {
                    if (!(error <= TOLERANCE)) {
                        failures.add(name + "=" + error);
                    }
                });
                assertThat(failures).as(fixture + " " + seq + " max abs errors " + errors).isEmpty();
                assertThat(errors).hasSizeGreaterThan(spec.numLayers() * 2);
            }
        }
    }

    private static double diff(ReferenceTensors reference, String name, NDArray actual) {
        return ReferenceTensors.maxAbsDiff(reference.floats(name), actual.toFloatArray());
    }
}
