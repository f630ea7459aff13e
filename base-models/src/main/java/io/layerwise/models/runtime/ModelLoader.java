package io.layerwise.models.runtime;

import io.layerwise.models.ModelException;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.onnx.BundledEncoder;
import io.layerwise.models.onnx.OnnxBertWeights;
import io.layerwise.models.precision.Precision;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Resolves what a user writes after {@code --model} (or under {@code model:} in a config): the name
 * of a bundled real encoder, whose ONNX weights are converted to the BERT weight map and run through
 * the same BERT code as any Hugging Face directory, or a path to a Hugging Face model directory.
 *
 * <pre>{@code
 * FrozenTransformer minilm = ModelLoader.load("all-minilm-l6-v2");
 * FrozenTransformer llama = ModelLoader.load("/models/Llama-3.2-1B");
 * }</pre>
 */
public final class ModelLoader {
    private ModelLoader() {}

    public static FrozenTransformer load(String directoryOrName) {
        return load(directoryOrName, Precision.F32, Workload.minimal());
    }

    /**
     * Loads in {@code precision} after checking that {@code workload} fits in memory (see
     * {@link MemoryPreflight}).
     */
    public static FrozenTransformer load(String directoryOrName, Precision precision, Workload workload) {
        Optional<BundledEncoder> bundled = BundledEncoder.byName(directoryOrName);
        if (bundled.isPresent()) {
            Path dir = bundled.get().materialize();
            return FrozenTransformer.load(bundled.get().modelName(), HfConfig.read(dir.resolve(BundledEncoder.CONFIG_FILE)),
                    () -> OnnxBertWeights.open(dir.resolve(BundledEncoder.MODEL_FILE)),
                    dir.resolve(BundledEncoder.TOKENIZER_FILE), precision, workload);
        }
        Path path = Path.of(directoryOrName);
        if (!Files.isDirectory(path)) {
            throw new ModelException("model '" + directoryOrName + "' is neither a directory nor a bundled encoder ("
                    + Arrays.stream(BundledEncoder.values()).map(BundledEncoder::modelName)
                            .collect(Collectors.joining(", ")) + ")");
        }
        return FrozenTransformer.load(path, precision, workload);
    }
}
