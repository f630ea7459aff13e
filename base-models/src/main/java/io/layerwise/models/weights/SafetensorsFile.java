package io.layerwise.models.weights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.models.ModelException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One {@code .safetensors} file, validated up front and read through memory maps.
 *
 * <p>The header is checked against the file before anything is mapped: its length must fit in the
 * file, every tensor's byte range must lie inside the data section and match its shape and dtype.
 * A truncated or corrupt file therefore fails here with a message naming the file and tensor, and no
 * allocation is ever sized from an untrusted length. Tensors are mapped one at a time, so shards
 * larger than the 2 GiB limit of a single {@link java.nio.MappedByteBuffer} work as long as each
 * tensor is below it.
 *
 * <pre>{@code
 * SafetensorsFile file = SafetensorsFile.open(Path.of("model.safetensors"));
 * ByteBuffer data = file.map(file.tensor("model.norm.weight"));
 * }</pre>
 */
public final class SafetensorsFile {
    /** Headers are JSON tables of tensor names; anything near this size is not a safetensors file. */
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final long fileSize;
    private final Map<String, TensorInfo> tensors;
    private final Map<String, String> metadata;

    private SafetensorsFile(Path path, long fileSize, Map<String, TensorInfo> tensors, Map<String, String> metadata) {
        this.path = path;
        this.fileSize = fileSize;
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** Opens and validates a safetensors file; nothing is mapped yet. */
    public static SafetensorsFile open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw corrupt(path, "file is " + size + " bytes, shorter than the 8-byte header length");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, lengthBytes, 0, path);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength < 2 || headerLength > MAX_HEADER_BYTES || headerLength > size - 8) {
                throw corrupt(path, "header length " + Long.toUnsignedString(headerLength)
                        + " does not fit in a file of " + size + " bytes (truncated or not a safetensors file)");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            readFully(channel, header, 8, path);
            String json = new String(header.array(), StandardCharsets.UTF_8);
            return parse(path, size, 8 + headerLength, json);
        } catch (IOException e) {
            throw new ModelException("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private static SafetensorsFile parse(Path path, long fileSize, long dataStart, String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw corrupt(path, "header is not valid JSON (" + e.getMessage() + ")");
        }
        if (root == null || !root.isObject()) {
            throw corrupt(path, "header is not a JSON object");
        }
        long dataSize = fileSize - dataStart;
        Map<String, TensorInfo> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String name = entry.getKey();
            JsonNode node = entry.getValue();
            if (name.equals("__metadata__")) {
                node.fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            String where = path + ", tensor '" + name + "'";
            TensorDType dtype = TensorDType.parse(node.path("dtype").asText(""), where);
            JsonNode shapeNode = node.path("shape");
            JsonNode offsets = node.path("data_offsets");
            if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
                throw corrupt(path, "tensor '" + name + "' lacks a shape or a [begin, end] data_offsets pair");
            }
            long[] shape = new long[shapeNode.size()];
            long numel = 1;
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (shape[i] < 0) {
                    throw corrupt(path, "tensor '" + name + "' has a negative or non-integer dimension");
                }
                numel = multiplyOrFail(numel, shape[i], path, name);
            }
            long begin = offsets.get(0).asLong(-1);
            long end = offsets.get(1).asLong(-1);
            if (begin < 0 || end < begin || end > dataSize) {
                throw corrupt(path, "tensor '" + name + "' claims bytes [" + begin + ", " + end
                        + ") but the data section has " + dataSize + " bytes (truncated file?)");
            }
            long expected = multiplyOrFail(numel, dtype.bytes(), path, name);
            if (end - begin != expected) {
                throw corrupt(path, "tensor '" + name + "' has " + (end - begin) + " bytes but "
                        + dtype + java.util.Arrays.toString(shape) + " needs " + expected);
            }
            tensors.put(name, new TensorInfo(name, dtype, shape, dataStart + begin, end - begin));
        }
        return new SafetensorsFile(path, fileSize, Collections.unmodifiableMap(tensors),
                Collections.unmodifiableMap(metadata));
    }

    private static long multiplyOrFail(long a, long b, Path path, String name) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw corrupt(path, "tensor '" + name + "' has a shape too large to address");
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, Path path) throws IOException {
        long pos = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, pos);
            if (n < 0) {
                throw corrupt(path, "unexpected end of file");
            }
            pos += n;
        }
    }

    private static ModelException corrupt(Path path, String why) {
        return new ModelException("corrupt safetensors file " + path + ": " + why);
    }

    public Path path() {
        return path;
    }

    public long fileSize() {
        return fileSize;
    }

    /** Tensors in header order. */
    public Map<String, TensorInfo> tensors() {
        return tensors;
    }

    /** The header's {@code __metadata__} string map (empty when absent). */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** The tensor of that name, or an error naming the file. */
    public TensorInfo tensor(String name) {
        TensorInfo info = tensors.get(name);
        if (info == null) {
            throw new ModelException("tensor '" + name + "' not found in " + path);
        }
        return info;
    }

    /**
     * Maps one tensor's bytes read-only, little-endian. The mapping stays valid after this call and
     * is released when the buffer becomes unreachable. Tensors over 2 GiB (one Java mapping's limit)
     * can be read with {@link #map(TensorInfo, long, int)}; bf16 weights of any size are mapped by
     * libtorch instead ({@code io.layerwise.models.precision.WeightMatrixLoader}).
     */
    public ByteBuffer map(TensorInfo info) {
        if (info.byteLength() > Integer.MAX_VALUE) {
            throw new ModelException("tensor '" + info.name() + "' in " + path + " is " + info.byteLength()
                    + " bytes; float32 and float16 tensors over 2 GiB are not supported yet");
        }
        return map(info, 0, (int) info.byteLength());
    }

    /** Maps {@code length} bytes of a tensor's data starting {@code start} bytes into it. */
    public ByteBuffer map(TensorInfo info, long start, int length) {
        if (start < 0 || length < 0 || start + length > info.byteLength()) {
            throw new IllegalArgumentException("bytes [" + start + ", " + (start + length) + ") of " + info);
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (channel.size() < info.fileOffset() + info.byteLength()) {
                throw corrupt(path, "file shrank to " + channel.size() + " bytes while in use");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, info.fileOffset() + start, length)
                    .order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelException("cannot map tensor '" + info.name() + "' from " + path + ": " + e.getMessage(), e);
        }
    }
}
