package io.layerwise.models.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.ModelException;
import io.layerwise.models.files.AtomicFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Collects tensors and writes them as one safetensors file, atomically (streamed to a temporary
 * sibling and committed by {@link AtomicFiles}), so a crash never leaves a half-written file under the
 * real name. Keys are sorted and the header is padded to 8 bytes, as
 * the reference writer does.
 *
 * <pre>{@code
 * new SafetensorsWriter().putFloat32("logits", new long[] {5, 257}, values).write(Path.of("out.safetensors"));
 * }</pre>
 */
public final class SafetensorsWriter {
    private record Entry(TensorDType dtype, long[] shape, ByteBuffer data) {}

    private final Map<String, Entry> entries = new TreeMap<>();
    private final Map<String, String> metadata = new TreeMap<>();

    /** Adds a tensor from raw little-endian bytes (position to limit). */
    public SafetensorsWriter put(String name, TensorDType dtype, long[] shape, ByteBuffer data) {
        long expected = dtype.bytes();
        for (long d : shape) {
            expected *= d;
        }
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.remaining()
                    + " bytes for " + dtype + java.util.Arrays.toString(shape) + " (needs " + expected + ")");
        }
        entries.put(name, new Entry(dtype, shape.clone(), data.duplicate().order(ByteOrder.LITTLE_ENDIAN)));
        return this;
    }

    public SafetensorsWriter putFloat32(String name, long[] shape, float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return put(name, TensorDType.F32, shape, buffer);
    }

    public SafetensorsWriter putInt64(String name, long[] shape, long[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asLongBuffer().put(values);
        return put(name, TensorDType.I64, shape, buffer);
    }

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * One tensor of a safetensors header.
     *
     * @param begin first byte in the data section
     * @param end one past the last byte in the data section
     */
    public record HeaderEntry(String name, TensorDType dtype, long[] shape, long begin, long end) {}

    /**
     * The 8-byte length plus the JSON header, padded with spaces to a multiple of 8 as the reference
     * writer does, ready to be written at the start of a file.
     */
    public static ByteBuffer encodeHeader(List<HeaderEntry> tensors, Map<String, String> metadata) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        for (HeaderEntry t : tensors) {
            ObjectNode node = header.putObject(t.name());
            node.put("dtype", t.dtype().name());
            var shape = node.putArray("shape");
            for (long d : t.shape()) {
                shape.add(d);
            }
            node.putArray("data_offsets").add(t.begin()).add(t.end());
        }
        byte[] headerBytes;
        try {
            headerBytes = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        int padded = (headerBytes.length + 7) / 8 * 8;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(headerBytes);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        return head.flip();
    }

    /** Writes the file atomically (temporary file, then rename). */
    public void write(Path target) {
        List<HeaderEntry> header = new ArrayList<>();
        long offset = 0;
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            long length = e.getValue().data().remaining();
            header.add(new HeaderEntry(e.getKey(), e.getValue().dtype(), e.getValue().shape(), offset, offset + length));
            offset += length;
        }
        ByteBuffer head = encodeHeader(header, metadata);
        Path temp = AtomicFiles.temporaryFor(target.toAbsolutePath());
        try {
            Files.createDirectories(temp.getParent());
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                writeFully(out, head);
                for (Entry e : entries.values()) {
                    writeFully(out, e.data().duplicate());
                }
                out.force(true);
            }
            AtomicFiles.commit(temp, target.toAbsolutePath());
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the original failure is the one to report
            }
            throw new ModelException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }
}
