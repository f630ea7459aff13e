package io.layerwise.datasets.extract;

import io.layerwise.models.ModelException;
import io.layerwise.models.config.HfConfig;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.families.ArchitectureAdapter;
import io.layerwise.models.onnx.BundledEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model's config and tokenizer, found without loading its weights, so that an extraction is planned
 * and checked (layers, lengths, token counts) before the expensive part. The id is the one
 * {@link io.layerwise.models.runtime.ModelLoader} gives the loaded model: the bundled encoder's name, or
 * the directory's absolute normalized path.
 *
 * @param id model id as recorded in stores
 * @param directory the Hugging Face style directory ({@code config.json}, {@code tokenizer.json})
 * @param spec the resolved shape of the model
 */
public record ModelFiles(String id, Path directory, TransformerSpec spec) {

    /** Resolves a bundled encoder name or a model directory (a {@link io.layerwise.models.ModelException} says what is missing). */
    public static ModelFiles resolve(String model) {
        Optional<BundledEncoder> bundled = BundledEncoder.byName(model);
        Path directory = bundled.isPresent() ? bundled.get().materialize() : Path.of(model);
        String id = bundled.isPresent() ? bundled.get().modelName() : directory.toAbsolutePath().normalize().toString();
        if (bundled.isEmpty() && !Files.isRegularFile(directory.resolve("config.json"))) {
            throw new ModelException("'" + model + "' is neither a bundled encoder (all-minilm-l6-v2, "
                    + "bge-small-en-v15, e5-small-v2) nor a directory with a config.json");
        }
        HfConfig config = HfConfig.read(directory.resolve(BundledEncoder.CONFIG_FILE));
        return new ModelFiles(id, directory, ArchitectureAdapter.forConfig(config).spec(config));
    }

    /** The model's {@code tokenizer.json}, which extraction needs to turn texts into tokens. */
    public Path tokenizer() {
        return directory.resolve(BundledEncoder.TOKENIZER_FILE);
    }
}
