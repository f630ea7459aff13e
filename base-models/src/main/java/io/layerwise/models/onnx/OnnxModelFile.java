package io.layerwise.models.onnx;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.layerwise.models.ModelException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ONNX model file ({@code ModelProto}) read just far enough to find its weights and its graph:
 * initializers with their bytes left in place, nodes, and the graph's input and output names.
 *
 * <p>There are no generated ONNX classes here: a small reader walks the protobuf wire format for the
 * few fields needed and skips everything else. The file is memory-mapped and every length read from
 * it is checked against the bytes that remain before anything is sliced, so a truncated or foreign
 * file fails with a {@link ModelException} naming it, and no allocation is sized from an untrusted
 * length beyond the file size. Models with external data files are not supported.
 *
 * <pre>{@code
 * OnnxModelFile model = OnnxModelFile.open(Path.of("all-minilm-l6-v2.onnx"));
 * ByteBuffer withTaps = model.withExtraOutputs(List.of("/embeddings/LayerNorm/Add_1_output_0"));
 * }</pre>
 */
public final class OnnxModelFile {
    // Field numbers from onnx.proto.
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_INPUT = 11;
    private static final int GRAPH_OUTPUT = 12;
    private static final int NODE_INPUT = 1;
    private static final int NODE_OUTPUT = 2;
    private static final int NODE_NAME = 3;
    private static final int NODE_OP_TYPE = 4;
    private static final int TENSOR_DIMS = 1;
    private static final int TENSOR_DATA_TYPE = 2;
    private static final int TENSOR_FLOAT_DATA = 4;
    private static final int TENSOR_NAME = 8;
    private static final int TENSOR_RAW_DATA = 9;
    private static final int TENSOR_DATA_LOCATION = 14;
    private static final int VALUE_INFO_NAME = 1;
    private static final int VALUE_INFO_TYPE = 2;
    private static final int TYPE_TENSOR_TYPE = 1;
    private static final int TENSOR_TYPE_ELEM_TYPE = 1;
    /** {@code TensorProto.DataLocation.EXTERNAL}: the bytes live in a separate file. */
    private static final int LOCATION_EXTERNAL = 1;

    /** Bytes per element of the fixed-width {@code TensorProto.DataType} codes. */
    private static final Map<Integer, Integer> ELEMENT_BYTES = Map.ofEntries(
            Map.entry(1, 4), Map.entry(2, 1), Map.entry(3, 1), Map.entry(4, 2), Map.entry(5, 2),
            Map.entry(6, 4), Map.entry(7, 8), Map.entry(9, 1), Map.entry(10, 2), Map.entry(11, 8),
            Map.entry(12, 4), Map.entry(13, 8), Map.entry(16, 2));

    private final Path path;
    private final ByteBuffer file;
    private final Map<String, OnnxInitializer> initializers;
    private final List<OnnxNode> nodes;
    private final List<String> inputs;
    private final List<String> outputs;

    private OnnxModelFile(Path path, ByteBuffer file, Map<String, OnnxInitializer> initializers,
            List<OnnxNode> nodes, List<String> inputs, List<String> outputs) {
        this.path = path;
        this.file = file;
        this.initializers = initializers;
        this.nodes = nodes;
        this.inputs = inputs;
        this.outputs = outputs;
    }

    /** Maps and parses an ONNX model file. */
    public static OnnxModelFile open(Path path) {
        ByteBuffer file;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            // Protobuf messages cannot exceed 2 GiB; larger models keep their weights in external files.
            if (size > Integer.MAX_VALUE) {
                throw corrupt(path, "file is " + size + " bytes, over the 2 GiB protobuf limit"
                        + " (ONNX models with external data files are not supported)");
            }
            file = channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new ModelException("cannot read ONNX file " + path + ": " + e.getMessage(), e);
        }
        try {
            return parse(path, file);
        } catch (IOException e) {
            throw corrupt(path, e.getMessage() + " (truncated, or not an ONNX model)");
        }
    }

    private static OnnxModelFile parse(Path path, ByteBuffer file) throws IOException {
        Map<String, OnnxInitializer> initializers = new LinkedHashMap<>();
        List<OnnxNode> nodes = new ArrayList<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        boolean sawGraph = false;
        Fields model = new Fields(file, 0);
        while (model.next()) {
            if (model.field() != MODEL_GRAPH) {
                model.skip();
                continue;
            }
            // A repeated occurrence of the graph field merges into the first (protobuf semantics):
            // its repeated fields append, which is how withExtraOutputs adds outputs.
            sawGraph = true;
            Fields graph = model.message();
            while (graph.next()) {
                switch (graph.field()) {
                    case GRAPH_NODE -> nodes.add(readNode(graph.message()));
                    case GRAPH_INITIALIZER -> {
                        OnnxInitializer init = readTensor(path, graph.message());
                        if (initializers.putIfAbsent(init.name(), init) != null) {
                            throw corrupt(path, "initializer '" + init.name() + "' appears twice");
                        }
                    }
                    case GRAPH_INPUT -> inputs.add(readValueInfoName(graph.message()));
                    case GRAPH_OUTPUT -> outputs.add(readValueInfoName(graph.message()));
                    default -> graph.skip();
                }
            }
        }
        if (!sawGraph) {
            throw corrupt(path, "no graph found (truncated, or not an ONNX model)");
        }
        return new OnnxModelFile(path, file.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN),
                Collections.unmodifiableMap(initializers), List.copyOf(nodes), List.copyOf(inputs),
                List.copyOf(outputs));
    }

    private static OnnxNode readNode(Fields node) throws IOException {
        String name = "";
        String opType = "";
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        while (node.next()) {
            switch (node.field()) {
                case NODE_INPUT -> inputs.add(node.string());
                case NODE_OUTPUT -> outputs.add(node.string());
                case NODE_NAME -> name = node.string();
                case NODE_OP_TYPE -> opType = node.string();
                default -> node.skip();
            }
        }
        return new OnnxNode(name, opType, inputs, outputs);
    }

    private static String readValueInfoName(Fields valueInfo) throws IOException {
        String name = "";
        while (valueInfo.next()) {
            if (valueInfo.field() == VALUE_INFO_NAME) {
                name = valueInfo.string();
            } else {
                valueInfo.skip();
            }
        }
        return name;
    }

    private static OnnxInitializer readTensor(Path path, Fields tensor) throws IOException {
        List<Long> dims = new ArrayList<>();
        String name = "";
        int dataType = 0;
        int location = 0;
        ByteBuffer data = null;
        long dataOffset = -1;
        while (tensor.next()) {
            switch (tensor.field()) {
                case TENSOR_DIMS -> tensor.readInt64s(dims);
                case TENSOR_DATA_TYPE -> dataType = (int) tensor.varint();
                case TENSOR_NAME -> name = tensor.string();
                case TENSOR_DATA_LOCATION -> location = (int) tensor.varint();
                case TENSOR_RAW_DATA, TENSOR_FLOAT_DATA -> {
                    if (data != null) {
                        throw corrupt(path, "initializer '" + name + "' has both raw_data and float_data");
                    }
                    // float_data is declared [packed = true]; exporters always write it packed.
                    data = tensor.bytes();
                    dataOffset = tensor.lastOffset();
                }
                default -> tensor.skip();
            }
        }
        if (location == LOCATION_EXTERNAL) {
            throw corrupt(path, "initializer '" + name + "' keeps its data in an external file, which is not supported");
        }
        long[] shape = new long[dims.size()];
        long numel = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i);
            if (shape[i] < 0) {
                throw corrupt(path, "initializer '" + name + "' has negative dimension " + shape[i]);
            }
            try {
                numel = Math.multiplyExact(numel, shape[i]);
            } catch (ArithmeticException e) {
                throw corrupt(path, "initializer '" + name + "' has a shape too large to address");
            }
        }
        Integer width = ELEMENT_BYTES.get(dataType);
        // Compared by division so that an absurd shape cannot overflow the product.
        if (data != null && width != null && (data.remaining() % width != 0 || data.remaining() / width != numel)) {
            throw corrupt(path, "initializer '" + name + "' of type " + dataType + " and shape " + dims
                    + " needs " + numel + " elements of " + width + " bytes but has " + data.remaining() + " bytes");
        }
        if (data == null && dataType == OnnxInitializer.FLOAT && numel > 0) {
            throw corrupt(path, "float initializer '" + name + "' has neither raw_data nor packed float_data");
        }
        ByteBuffer bytes = data == null ? ByteBuffer.allocate(0) : data;
        return new OnnxInitializer(name, shape, dataType, bytes.order(ByteOrder.LITTLE_ENDIAN), dataOffset);
    }

    public Path path() {
        return path;
    }

    /** Every initializer in file order. */
    public Collection<OnnxInitializer> initializers() {
        return initializers.values();
    }

    public Optional<OnnxInitializer> initializer(String name) {
        return Optional.ofNullable(initializers.get(name));
    }

    /** Every node in graph order (topologically sorted, as ONNX requires). */
    public List<OnnxNode> nodes() {
        return nodes;
    }

    /** Names of the graph's inputs. */
    public List<String> inputs() {
        return inputs;
    }

    /** Names of the graph's outputs. */
    public List<String> outputs() {
        return outputs;
    }

    /** The whole file, read-only, from its memory map. */
    public ByteBuffer bytes() {
        return file.duplicate();
    }

    /**
     * The model with {@code names} added as float32 graph outputs, as a direct buffer ready for
     * {@code OrtEnvironment.createSession(ByteBuffer, ...)}. The file's bytes are followed by a second
     * {@code graph} field holding only the new outputs, which protobuf parsers merge into the first;
     * the outputs carry an element type but no shape, which ONNX Runtime infers.
     *
     * @param names tensors produced by some node, not yet graph outputs
     */
    public ByteBuffer withExtraOutputs(Collection<String> names) {
        Set<String> produced = new HashSet<>();
        nodes.forEach(n -> produced.addAll(n.outputs()));
        for (String name : names) {
            if (!produced.contains(name)) {
                throw new ModelException("cannot expose '" + name + "' of " + path + ": no node produces it");
            }
            if (outputs.contains(name)) {
                throw new ModelException("cannot expose '" + name + "' of " + path + ": it is already a graph output");
            }
        }
        byte[] suffix = encode(model -> model.writeByteArray(MODEL_GRAPH, encode(graph -> {
            for (String name : names) {
                graph.writeByteArray(GRAPH_OUTPUT, floatValueInfo(name));
            }
        })));
        ByteBuffer result = ByteBuffer.allocateDirect(file.capacity() + suffix.length);
        result.put(bytes()).put(suffix).flip();
        return result;
    }

    /** A {@code ValueInfoProto} naming a float32 tensor of unknown shape. */
    private static byte[] floatValueInfo(String name) {
        byte[] tensorType = encode(t -> t.writeInt32(TENSOR_TYPE_ELEM_TYPE, OnnxInitializer.FLOAT));
        byte[] type = encode(t -> t.writeByteArray(TYPE_TENSOR_TYPE, tensorType));
        return encode(v -> {
            v.writeString(VALUE_INFO_NAME, name);
            v.writeByteArray(VALUE_INFO_TYPE, type);
        });
    }

    private interface MessageWriter {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] encode(MessageWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        try {
            writer.write(out);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("writing to memory cannot fail", e);
        }
        return bytes.toByteArray();
    }

    private static ModelException corrupt(Path path, String why) {
        return new ModelException("corrupt ONNX file " + path + ": " + why);
    }

    /**
     * The fields of one protobuf message held in a slice of the file. Length-delimited fields are
     * returned as slices after checking that their claimed length fits in what remains.
     */
    private static final class Fields {
        private final ByteBuffer message;
        private final long fileOffset;
        private final CodedInputStream in;
        private int tag;
        private long lastOffset;

        Fields(ByteBuffer message, long fileOffset) {
            this.message = message;
            this.fileOffset = fileOffset;
            this.in = CodedInputStream.newInstance(message.duplicate());
        }

        boolean next() throws IOException {
            tag = in.readTag();
            return tag != 0;
        }

        int field() {
            return WireFormat.getTagFieldNumber(tag);
        }

        void skip() throws IOException {
            in.skipField(tag);
        }

        long varint() throws IOException {
            expect(WireFormat.WIRETYPE_VARINT);
            return in.readRawVarint64();
        }

        /** A repeated int64 field, packed or one value per tag. */
        void readInt64s(List<Long> into) throws IOException {
            if (WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_VARINT) {
                into.add(in.readRawVarint64());
                return;
            }
            CodedInputStream packed = CodedInputStream.newInstance(bytes());
            while (!packed.isAtEnd()) {
                into.add(packed.readRawVarint64());
            }
        }

        ByteBuffer bytes() throws IOException {
            expect(WireFormat.WIRETYPE_LENGTH_DELIMITED);
            long at = fileOffset + in.getTotalBytesRead();
            int length = in.readRawVarint32();
            int start = in.getTotalBytesRead();
            int remaining = message.limit() - start;
            if (length < 0 || length > remaining) {
                throw new InvalidProtocolBufferException("field " + field() + " at byte " + at + " claims "
                        + Integer.toUnsignedString(length) + " bytes but only " + remaining + " remain");
            }
            in.skipRawBytes(length);
            lastOffset = fileOffset + start;
            return message.slice(start, length).order(ByteOrder.LITTLE_ENDIAN);
        }

        /** Absolute file offset of the data returned by the last {@link #bytes()}. */
        long lastOffset() {
            return lastOffset;
        }

        Fields message() throws IOException {
            ByteBuffer slice = bytes();
            return new Fields(slice, lastOffset);
        }

        String string() throws IOException {
            return StandardCharsets.UTF_8.decode(bytes()).toString();
        }

        private void expect(int wireType) throws InvalidProtocolBufferException {
            if (WireFormat.getTagWireType(tag) != wireType) {
                throw new InvalidProtocolBufferException("field " + field() + " has wire type "
                        + WireFormat.getTagWireType(tag) + ", expected " + wireType);
            }
        }
    }
}
