package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.layerwise.models.testing.CheckpointCopies;
import io.layerwise.models.testing.CheckpointCopies.Tensor;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import io.layerwise.models.weights.TensorDType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Dropping block k with the intervention equals running a checkpoint from which block k was
 * physically removed (its tensors deleted, the later blocks renumbered, the config one layer shorter).
 */
class LayerDropEquivalenceTest {
    private static final long[] SEQ = {1, 17, 42, 256, 3, 99, 128};

    @TempDir
    Path temp;

    @ParameterizedTest
    @CsvSource({"llama-bench,1", "llama-bench,3", "gpt2,0", "qwen3,1"})
    void droppedLayerEqualsCheckpointWithoutThatBlock(String fixture, int dropped) {
        Path original = SharedFiles.fixture(fixture);
        String layerKey = fixture.equals("gpt2") ? "n_layer" : "num_hidden_layers";
        String blockPrefix = fixture.equals("gpt2") ? "transformer.h." : "model.layers.";
        int layers;
        try (FrozenTransformer model = FrozenTransformer.load(original)) {
            layers = model.spec().numLayers();
        }
        List<Tensor> shortened = new ArrayList<>();
        for (Tensor t : CheckpointCopies.readAll(original)) {
            if (!t.name().startsWith(blockPrefix)) {
                shortened.add(t);
                continue;
            }
            String rest = t.name().substring(blockPrefix.length());
            int block = Integer.parseInt(rest.substring(0, rest.indexOf('.')));
            if (block != dropped) {
                int renumbered = block > dropped ? block - 1 : block;
                shortened.add(new Tensor(blockPrefix + renumbered + rest.substring(rest.indexOf('.')), t.shape(), t.values()));
            }
        }
        Path shorter = temp.resolve("without-" + dropped);
        int finalLayers = layers;
        CheckpointCopies.copyConfig(original, shorter, c -> c.replaceFirst("\"" + layerKey + "\": " + finalLayers,
                "\"" + layerKey + "\": " + (finalLayers - 1)));
        CheckpointCopies.write(shortened, TensorDType.F32, shorter.resolve("model.safetensors"));
        try (FrozenTransformer model = FrozenTransformer.load(original);
             FrozenTransformer removed = FrozenTransformer.load(shorter);
             ForwardResult dropping = model.forward(TokenBatch.single(SEQ), Taps.of(TapKind.LOGITS),
                     Interventions.none().withDroppedLayers(Set.of(dropped)));
             ForwardResult reference = removed.forward(TokenBatch.single(SEQ), Taps.of(TapKind.LOGITS))) {
            assertThat(removed.spec().numLayers()).isEqualTo(layers - 1);
            assertThat(ReferenceTensors.maxAbsDiff(reference.logits().toFloatArray(), dropping.logits().toFloatArray()))
                    .isLessThanOrEqualTo(1e-5);
        }
    }
}
