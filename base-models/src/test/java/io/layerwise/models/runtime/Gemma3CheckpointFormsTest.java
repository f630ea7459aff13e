package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.ModelException;
import io.layerwise.models.testing.CheckpointCopies;
import io.layerwise.models.testing.CheckpointCopies.Tensor;
import io.layerwise.models.testing.SharedFiles;
import io.layerwise.models.weights.TensorDType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Gemma 3 fixture in every form a user's checkpoint may take (classic keys, {@code layer_types},
 * {@code rope_parameters}, multimodal layouts with either weight prefix and a vision tower) gives
 * the same outputs, and broken configs or weights fail naming the key or tensor.
 */
class Gemma3CheckpointFormsTest {
    private static final Path GEMMA = SharedFiles.fixture("gemma3");
    private static final long[] SEQ = {2, 17, 42, 256, 3, 99, 128, 5, 9};
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void layerTypesFormGivesIdenticalOutputs() throws IOException {
        Path dir = textOnly("layer-types", c -> {
            c.remove("sliding_window_pattern");
            layerTypes(c);
        });
        assertThat(outputs(dir)).isEqualTo(outputs(GEMMA));
    }

    @Test
    void ropeParametersFormGivesIdenticalOutputs() throws IOException {
        Path dir = textOnly("rope-parameters", c -> {
            c.remove(List.of("sliding_window_pattern", "rope_theta", "rope_local_base_freq", "rope_scaling"));
            layerTypes(c);
            ObjectNode rope = c.putObject("rope_parameters");
            rope.putObject("full_attention").put("rope_type", "linear").put("factor", 8.0).put("rope_theta", 1e6);
            rope.putObject("sliding_attention").put("rope_type", "default").put("rope_theta", 10000.0);
        });
        assertThat(outputs(dir)).isEqualTo(outputs(GEMMA));
    }

    @Test
    void multimodalCheckpointsInBothWeightLayoutsLoadTheTextDecoder() throws IOException {
        float[] expected = outputs(GEMMA);
        for (String prefix : List.of("language_model.model.", "model.language_model.")) {
            Path dir = temp.resolve(prefix.replace('.', '_'));
            Files.createDirectories(dir);
            ObjectNode text = (ObjectNode) JSON.readTree(GEMMA.resolve("config.json").toFile());
            ObjectNode root = JSON.createObjectNode();
            root.putArray("architectures").add("Gemma3ForConditionalGeneration");
            root.put("model_type", "gemma3");
            root.set("text_config", text);
            root.putObject("vision_config").put("model_type", "siglip_vision_model").put("hidden_size", 8);
            JSON.writeValue(dir.resolve("config.json").toFile(), root);
            List<Tensor> tensors = new ArrayList<>();
            for (Tensor t : CheckpointCopies.readAll(GEMMA)) {
                tensors.add(new Tensor(prefix + t.name().substring("model.".length()), t.shape(), t.values()));
            }
            String vision = prefix.startsWith("model.") ? "model." : "";
            tensors.add(new Tensor(vision + "vision_tower.vision_model.embeddings.patch_embedding.weight",
                    new long[] {8, 3, 2, 2}, new float[96]));
            tensors.add(new Tensor(vision + "multi_modal_projector.mm_input_projection_weight", new long[] {8, 64},
                    new float[512]));
            CheckpointCopies.write(tensors, TensorDType.F32, dir.resolve("model.safetensors"));
            assertThat(outputs(dir)).as(prefix).isEqualTo(expected);
        }
    }

    @Test
    void slidingLayersKeepOnlyTheirWindowInTheKvCache() {
        try (FrozenTransformer model = FrozenTransformer.load(GEMMA); KvCache cache = model.newCache()) {
            model.forward(TokenBatch.single(SEQ), Taps.of(TapKind.NEXT_TOKEN_LOGITS), Interventions.none(), cache).close();
            for (int step = 0; step < 5; step++) {
                model.forward(TokenBatch.single(new long[] {7}), Taps.of(TapKind.NEXT_TOKEN_LOGITS), Interventions.none(),
                        cache).close();
            }
            assertThat(cache.length()).isEqualTo(SEQ.length + 5);
            for (int layer : new int[] {0, 1, 3}) {
                assertThat(cache.keys(layer).getShape().get(2)).as("sliding layer " + layer).isEqualTo(3);
            }
            assertThat(cache.keys(2).getShape().get(2)).as("global layer").isEqualTo(SEQ.length + 5);
        }
    }

    @Test
    void multimodalConfigWithoutTextConfigNamesTheKey() throws IOException {
        Path dir = temp.resolve("no-text-config");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\"model_type\": \"gemma3\"}");
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("'text_config'");
    }

    @Test
    void layerTypesOfTheWrongLengthNameTheKey() throws IOException {
        Path dir = textOnly("short-layer-types", c -> c.putArray("layer_types").add("sliding_attention"));
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("'layer_types'").hasMessageContaining("4 entries");
    }

    @Test
    void layerTypesContradictingThePatternNameTheKey() throws IOException {
        Path dir = textOnly("contradiction", c -> {
            ArrayNode types = c.putArray("layer_types");
            for (int i = 0; i < 4; i++) {
                types.add("full_attention");
            }
        });
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("'layer_types'").hasMessageContaining("sliding_window_pattern");
    }

    @Test
    void missingNormTensorIsNamed() throws IOException {
        Path dir = temp.resolve("missing-norm");
        CheckpointCopies.copyConfig(GEMMA, dir, s -> s);
        CheckpointCopies.write(CheckpointCopies.edit(CheckpointCopies.readAll(GEMMA),
                "model.layers.1.post_feedforward_layernorm.weight", null), TensorDType.F32, dir.resolve("model.safetensors"));
        assertThatThrownBy(() -> FrozenTransformer.load(dir)).isInstanceOf(ModelException.class)
                .hasMessageContaining("missing tensor 'model.layers.1.post_feedforward_layernorm.weight'");
    }

    private Path textOnly(String name, Consumer<ObjectNode> edit) throws IOException {
        Path dir = temp.resolve(name);
        Files.createDirectories(dir);
        ObjectNode config = (ObjectNode) JSON.readTree(GEMMA.resolve("config.json").toFile());
        edit.accept(config);
        JSON.writeValue(dir.resolve("config.json").toFile(), config);
        Files.copy(GEMMA.resolve("model.safetensors"), dir.resolve("model.safetensors"));
        return dir;
    }

    private static void layerTypes(ObjectNode config) {
        ArrayNode types = config.putArray("layer_types");
        for (String t : List.of("sliding_attention", "sliding_attention", "full_attention", "sliding_attention")) {
            types.add(t);
        }
    }

    /** Every residual and the logits of a 9-token sequence (longer than the 4-token window), concatenated. */
    private static float[] outputs(Path dir) {
        try (FrozenTransformer model = FrozenTransformer.load(dir);
             ForwardResult r = model.forward(TokenBatch.single(SEQ), Taps.of(TapKind.RESIDUAL, TapKind.LOGITS))) {
            List<float[]> parts = new ArrayList<>();
            for (int i = 0; i <= model.spec().numLayers(); i++) {
                parts.add(r.residual(i).toFloatArray());
            }
            parts.add(r.logits().toFloatArray());
            int n = parts.stream().mapToInt(p -> p.length).sum();
            float[] all = new float[n];
            int at = 0;
            for (float[] p : parts) {
                System.arraycopy(p, 0, all, at, p.length);
                at += p.length;
            }
            return all;
        }
    }
}
