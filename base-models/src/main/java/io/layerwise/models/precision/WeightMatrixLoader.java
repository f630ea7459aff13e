package io.layerwise.models.precision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.layerwise.models.ModelException;
import io.layerwise.models.weights.TensorDType;
import io.layerwise.models.weights.TensorInfo;
import io.layerwise.models.weights.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Loads the weight matrices of one model in one precision, for the duration of binding. What each
 * stored type becomes:
 *
 * <table>
 * <caption>stored dtype x precision</caption>
 * <tr><th>stored</th><th>{@code f32}</th><th>{@code bf16}</th></tr>
 * <tr><td>BF16</td><td>mapped bf16, widened per product</td><td>mapped bf16</td></tr>
 * <tr><td>F32</td><td>mapped float32 (as before)</td><td>rounded to a bf16 copy at load</td></tr>
 * <tr><td>F16</td><td>widened to float32 at load (as before)</td><td>rounded to a bf16 copy at load</td></tr>
 * </table>
 *
 * <p>bf16 tensors are mapped with {@code torch.from_file}, one mapping per file shared by all its
 * tensors, rather than with a Java {@code MappedByteBuffer} per tensor: TorchScript has no
 * reinterpreting view ({@code view(dtype)}), so a buffer mapped in Java could only become bf16
 * through a copy. A file mapping has no 2 GiB limit, so shards and tensors of any size work. A
 * tensor at an odd byte offset (never written by Hugging Face, whose headers are padded to 8 bytes)
 * cannot be a bf16 view of the file; it is read and rounded into a bf16 copy instead (exact).
 * The whole-file handles belong to the manager, like the matrices sliced from them, and are freed
 * with it; a mapping is released when its last tensor is closed.
 *
 * <pre>{@code
 * WeightMatrixLoader matrices = new WeightMatrixLoader(source, manager, Precision.BF16);
 * WeightMatrix q = matrices.load("model.layers.0.self_attn.q_proj.weight");
 * }</pre>
 */
public final class WeightMatrixLoader {
    private final WeightSource source;
    private final NDManager manager;
    private final Precision precision;
    private final Map<Path, Bf16Tensor> mappedFiles = new LinkedHashMap<>();

    public WeightMatrixLoader(WeightSource source, NDManager manager, Precision precision) {
        this.source = source;
        this.manager = manager;
        this.precision = precision;
    }

    public Precision precision() {
        return precision;
    }

    /** The matrix of that name (its shape already checked by the caller). */
    public WeightMatrix load(String name) {
        TensorInfo info = source.info(name);
        Optional<Path> file = source.file(name);
        if (info.dtype() == TensorDType.BF16 && file.isPresent() && info.fileOffset() % 2 == 0) {
            Bf16Tensor whole = mappedFiles.computeIfAbsent(file.get(), this::mapWholeFile);
            return WeightMatrix.of(whole.slice(info.fileOffset() / 2, new Shape(info.shape())), precision);
        }
        NDArray float32 = source.load(name, manager);
        if (precision == Precision.F32 && info.dtype() != TensorDType.BF16) {
            return WeightMatrix.of(float32);
        }
        // bf16 precision, or a bf16 tensor that cannot be mapped: keep (or make) a bf16 copy
        try {
            return WeightMatrix.of(Bf16Tensor.roundedFrom(float32), precision);
        } finally {
            float32.close();
        }
    }

    private Bf16Tensor mapWholeFile(Path file) {
        try {
            return Bf16Tensor.mapFile(file, Files.size(file) / 2, manager);
        } catch (IOException e) {
            throw new ModelException("cannot map " + file + ": " + e.getMessage(), e);
        }
    }
}
