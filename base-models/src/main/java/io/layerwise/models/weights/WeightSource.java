package io.layerwise.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Named float tensors that an architecture adapter binds to its blocks, whatever file format they
 * came from (safetensors checkpoint, converted ONNX encoder). Names are Hugging Face
 * {@code state_dict} names.
 *
 * <pre>{@code
 * try (WeightSource weights = SafetensorsCheckpoint.open(modelDir)) {
 *     NDArray norm = weights.load("model.norm.weight", manager);
 * }
 * }</pre>
 */
public interface WeightSource {

    /** Where the weights come from, for messages and provenance (a path or a bundled model name). */
    String description();

    /** Every tensor name the source holds. */
    Set<String> names();

    /** Location, dtype and shape of one tensor; a {@link io.layerwise.models.ModelException} naming it if absent. */
    TensorInfo info(String name);

    /** The tensor as a float32 array owned by {@code manager} (zero-copy for float32 data). */
    NDArray load(String name, NDManager manager);

    /**
     * A content hash of the weight data ({@code sha256:...}): the same for the same weights, different
     * when any weight differs; computed on first use (it reads every byte once).
     */
    String fingerprint();

    /**
     * The plain file that holds the tensor's bytes at {@code info(name).fileOffset()}, when the source
     * reads from one (so the tensor can be memory-mapped in place, as bf16 weights are); empty for
     * sources that convert their tensors (ONNX).
     */
    default Optional<Path> file(String name) {
        return Optional.empty();
    }

    default boolean contains(String name) {
        return names().contains(name);
    }
}
