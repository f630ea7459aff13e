package io.layerwise.models.weights;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.models.ModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The weights of a Hugging Face model directory: {@code model.safetensors}, or the shards listed by
 * {@code model.safetensors.index.json}. {@link #load} hands float32 tensors to DJL as memory-mapped
 * buffers without a copy and widens f16 and bf16 tensors to float32 in Java (see
 * {@link Float32Widening}); bf16 weight matrices are instead mapped as bf16 by
 * {@code io.layerwise.models.precision.WeightMatrixLoader} through {@link #file}, and never widened
 * as a whole. Shards of any size work: files are mapped per tensor (or, for bf16, per file by libtorch).
 *
 * <pre>{@code
 * WeightSource weights = SafetensorsCheckpoint.open(Path.of("fixtures/llama"));
 * }</pre>
 */
public final class SafetensorsCheckpoint implements WeightSource {
    static final String SINGLE_FILE = "model.safetensors";
    static final String INDEX_FILE = "model.safetensors.index.json";
    /** Bytes hashed per mapping, so tensors over 2 GiB can be fingerprinted too. */
    private static final long FINGERPRINT_WINDOW = 1L << 30;

    private final Path directory;
    private final Map<String, SafetensorsFile> fileOf;
    private final Map<String, TensorInfo> tensors;
    private volatile String fingerprint;

    private SafetensorsCheckpoint(Path directory, Map<String, SafetensorsFile> fileOf, Map<String, TensorInfo> tensors) {
        this.directory = directory;
        this.fileOf = fileOf;
        this.tensors = tensors;
    }

    /** Opens the weights of a model directory, validating every file's header. */
    public static SafetensorsCheckpoint open(Path directory) {
        Path index = directory.resolve(INDEX_FILE);
        Path single = directory.resolve(SINGLE_FILE);
        Map<String, SafetensorsFile> fileOf = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new TreeMap<>();
        if (Files.isRegularFile(index)) {
            Map<String, SafetensorsFile> shards = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : readWeightMap(index).entrySet()) {
                Path shardPath = directory.resolve(e.getValue()).normalize();
                if (!shardPath.startsWith(directory.normalize())) {
                    throw new ModelException(index + ": shard '" + e.getValue() + "' lies outside the model directory");
                }
                if (!Files.isRegularFile(shardPath)) {
                    throw new ModelException(index + " lists shard '" + e.getValue() + "' for tensor '"
                            + e.getKey() + "', but " + shardPath + " does not exist");
                }
                SafetensorsFile shard = shards.computeIfAbsent(e.getValue(), f -> SafetensorsFile.open(shardPath));
                TensorInfo info = shard.tensors().get(e.getKey());
                if (info == null) {
                    throw new ModelException(index + " places tensor '" + e.getKey() + "' in " + e.getValue()
                            + ", which does not contain it");
                }
                fileOf.put(e.getKey(), shard);
                tensors.put(e.getKey(), info);
            }
        } else if (Files.isRegularFile(single)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            for (TensorInfo info : file.tensors().values()) {
                fileOf.put(info.name(), file);
                tensors.put(info.name(), info);
            }
        } else {
            throw new ModelException(directory + " has neither " + SINGLE_FILE + " nor " + INDEX_FILE
                    + " (only safetensors weights are supported; convert .bin checkpoints with save_pretrained)");
        }
        return new SafetensorsCheckpoint(directory, fileOf, Collections.unmodifiableMap(tensors));
    }

    private static Map<String, String> readWeightMap(Path index) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new ModelException("cannot parse " + index + ": " + e.getMessage(), e);
        }
        JsonNode map = root == null ? null : root.get("weight_map");
        if (map == null || !map.isObject()) {
            throw new ModelException(index + " has no 'weight_map' object");
        }
        Map<String, String> result = new LinkedHashMap<>();
        map.fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
        return result;
    }

    @Override
    public String description() {
        return directory.toString();
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public TensorInfo info(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new ModelException("missing tensor '" + name + "' in " + directory);
        }
        return info;
    }

    @Override
    public NDArray load(String name, NDManager manager) {
        TensorInfo info = info(name);
        if (!info.dtype().isFloatingWeight()) {
            throw new ModelException("tensor '" + name + "' in " + directory + " is " + info.dtype()
                    + "; weights must be F32, F16 or BF16");
        }
        ByteBuffer mapped = fileOf.get(name).map(info);
        Shape shape = new Shape(info.shape());
        if (info.dtype() == TensorDType.F32) {
            if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
                throw new ModelException("big-endian hosts are not supported");
            }
            return manager.create(mapped, shape, DataType.FLOAT32);
        }
        return manager.create(Float32Widening.widen(mapped, info.dtype(), info.numel()), shape, DataType.FLOAT32);
    }

    @Override
    public Optional<Path> file(String name) {
        info(name);
        return Optional.of(fileOf.get(name).path());
    }

    @Override
    public String fingerprint() {
        String result = fingerprint;
        if (result == null) {
            result = computeFingerprint();
            fingerprint = result;
        }
        return result;
    }

    /** SHA-256 over every tensor's name, dtype, shape and bytes, in name order. */
    private String computeFingerprint() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (TensorInfo info : tensors.values()) {
            digest.update((info.name() + "|" + info.dtype() + "|" + info.shapeText() + "\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            SafetensorsFile file = fileOf.get(info.name());
            for (long start = 0; start < info.byteLength(); start += FINGERPRINT_WINDOW) {
                digest.update(file.map(info, start, (int) Math.min(FINGERPRINT_WINDOW, info.byteLength() - start)));
            }
        }
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }
}
