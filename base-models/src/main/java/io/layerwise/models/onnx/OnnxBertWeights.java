package io.layerwise.models.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.layerwise.models.ModelException;
import io.layerwise.models.weights.TensorDType;
import io.layerwise.models.weights.TensorInfo;
import io.layerwise.models.weights.WeightSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weights of a BERT-style encoder exported to ONNX by {@code torch.onnx}, under the names and
 * layouts of Hugging Face's {@code BertModel.state_dict()}.
 *
 * <p>The exporter keeps the names of biases, embeddings and LayerNorms, but stores every linear
 * weight as an unnamed {@code MatMul} operand ({@code onnx::MatMul_787}) in {@code [in, out]} layout.
 * Such a weight is named after the node that consumes it ({@code /encoder/layer.0/attention/self/query/MatMul}
 * becomes {@code encoder.layer.0.attention.self.query.weight}) and transposed to Hugging Face's
 * {@code [out, in]} on load. Opening fails unless every tensor of a {@code BertModel} with the
 * detected number of layers is found; a pooler, if exported, appears as {@code pooler.dense.*}.
 *
 * <pre>{@code
 * WeightSource weights = OnnxBertWeights.open(BundledEncoder.ALL_MINILM_L6_V2.materialize().resolve("model.onnx"));
 * NDArray wq = weights.load("encoder.layer.0.attention.self.query.weight", manager); // [384, 384], [out, in]
 * }</pre>
 */
public final class OnnxBertWeights implements WeightSource {
    private static final Pattern LINEAR_NODE = Pattern.compile("/((?:embeddings|encoder|pooler)/.+)/MatMul");
    private static final Pattern LAYER_INDEX = Pattern.compile("encoder\\.layer\\.(\\d+)\\.");
    private static final List<String> EMBEDDING_NAMES = List.of(
            "embeddings.word_embeddings.weight",
            "embeddings.position_embeddings.weight",
            "embeddings.token_type_embeddings.weight",
            "embeddings.LayerNorm.weight",
            "embeddings.LayerNorm.bias");
    private static final List<String> LAYER_MODULES = List.of(
            "attention.self.query",
            "attention.self.key",
            "attention.self.value",
            "attention.output.dense",
            "attention.output.LayerNorm",
            "intermediate.dense",
            "output.dense",
            "output.LayerNorm");
    /** Missing names listed in an error; a wrong architecture would otherwise list hundreds. */
    private static final int MAX_LISTED = 10;

    /** One Hugging Face tensor: the initializer holding it and whether it is stored transposed. */
    private record Mapped(OnnxInitializer source, boolean transposed, TensorInfo info) {}

    private final OnnxModelFile model;
    private final Map<String, Mapped> tensors;
    private final int layerCount;
    private final List<String> unmapped;
    private volatile String fingerprint;

    private OnnxBertWeights(OnnxModelFile model, Map<String, Mapped> tensors, int layerCount, List<String> unmapped) {
        this.model = model;
        this.tensors = tensors;
        this.layerCount = layerCount;
        this.unmapped = unmapped;
    }

    /** Parses an ONNX encoder file and maps its initializers to {@code BertModel} names. */
    public static OnnxBertWeights open(Path onnxFile) {
        return of(OnnxModelFile.open(onnxFile));
    }

    /** Maps the initializers of an already parsed ONNX encoder to {@code BertModel} names. */
    public static OnnxBertWeights of(OnnxModelFile model) {
        Map<String, Mapped> tensors = new TreeMap<>();
        Set<String> matMulWeights = new HashSet<>();
        for (OnnxNode node : model.nodes()) {
            Matcher m = LINEAR_NODE.matcher(node.name());
            if (!node.opType().equals("MatMul") || !m.matches() || node.inputs().size() != 2) {
                continue;
            }
            // Attention's own MatMuls (scores, context) multiply activations and have no initializer.
            OnnxInitializer weight = model.initializer(node.inputs().get(1)).orElse(null);
            if (weight == null || !weight.isFloat() || weight.dims().length != 2) {
                continue;
            }
            String name = m.group(1).replace('/', '.') + ".weight";
            long[] dims = weight.dims();
            add(model, tensors, name, new Mapped(weight, true, info(name, new long[] {dims[1], dims[0]}, weight)));
            matMulWeights.add(weight.name());
        }
        List<String> unmapped = new ArrayList<>();
        for (OnnxInitializer init : model.initializers()) {
            if (!init.isFloat() || matMulWeights.contains(init.name())) {
                continue;
            }
            String name = init.name();
            if (name.startsWith("embeddings.") || name.startsWith("encoder.") || name.startsWith("pooler.")) {
                add(model, tensors, name, new Mapped(init, false, info(name, init.dims(), init)));
            } else {
                unmapped.add(name);
            }
        }
        int layers = tensors.keySet().stream()
                .map(LAYER_INDEX::matcher)
                .filter(Matcher::lookingAt)
                .mapToInt(m -> Integer.parseInt(m.group(1)) + 1)
                .max()
                .orElseThrow(() -> new ModelException(model.path() + " has no encoder.layer.N tensors:"
                        + " not a BERT-style encoder exported from Hugging Face"));
        List<String> missing = expectedNames(layers).stream().filter(n -> !tensors.containsKey(n)).toList();
        if (!missing.isEmpty()) {
            throw new ModelException(model.path() + " lacks " + missing.size() + " tensor(s) of a " + layers
                    + "-layer BertModel, e.g. " + missing.subList(0, Math.min(MAX_LISTED, missing.size()))
                    + " (exported from a different architecture, or with renamed nodes?)");
        }
        return new OnnxBertWeights(model, Collections.unmodifiableMap(tensors), layers, List.copyOf(unmapped));
    }

    private static void add(OnnxModelFile model, Map<String, Mapped> tensors, String name, Mapped mapped) {
        if (tensors.putIfAbsent(name, mapped) != null) {
            throw new ModelException(model.path() + ": two initializers map to '" + name + "' ("
                    + tensors.get(name).source().name() + " and " + mapped.source().name() + ")");
        }
    }

    private static TensorInfo info(String name, long[] shape, OnnxInitializer source) {
        return new TensorInfo(name, TensorDType.F32, shape, source.fileOffset(), source.data().remaining());
    }

    /** The {@code state_dict} names of a {@code BertModel} without pooler. */
    static List<String> expectedNames(int layers) {
        List<String> names = new ArrayList<>(EMBEDDING_NAMES);
        for (int layer = 0; layer < layers; layer++) {
            for (String module : LAYER_MODULES) {
                names.add("encoder.layer." + layer + "." + module + ".weight");
                names.add("encoder.layer." + layer + "." + module + ".bias");
            }
        }
        return names;
    }

    /** Number of encoder layers found. */
    public int layerCount() {
        return layerCount;
    }

    /** Float initializers that are not part of the mapped state dict (empty for a clean export). */
    public List<String> unmappedInitializers() {
        return unmapped;
    }

    @Override
    public String description() {
        return model.path().toString();
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    /** The Hugging Face shape; for transposed weights the file range holds the {@code [in, out]} original. */
    @Override
    public TensorInfo info(String name) {
        return mapped(name).info();
    }

    /**
     * A float32 copy in Hugging Face layout. Always a copy: {@code raw_data} sits at arbitrary byte
     * offsets inside the protobuf, not aligned to a float as PyTorch kernels expect.
     */
    @Override
    public NDArray load(String name, NDManager manager) {
        Mapped mapped = mapped(name);
        FloatBuffer src = mapped.source().data().asFloatBuffer();
        ByteBuffer bytes = ByteBuffer.allocateDirect(src.remaining() * Float.BYTES).order(ByteOrder.nativeOrder());
        FloatBuffer dst = bytes.asFloatBuffer();
        long[] shape = mapped.info().shape();
        if (mapped.transposed()) {
            transpose(src, dst, (int) shape[1], (int) shape[0]);
        } else {
            dst.put(src);
        }
        return manager.create(bytes, new Shape(shape), DataType.FLOAT32);
    }

    /** Writes the {@code [rows, cols]} matrix {@code src} as {@code [cols, rows]}, in cache-sized tiles. */
    private static void transpose(FloatBuffer src, FloatBuffer dst, int rows, int cols) {
        final int tile = 32;
        for (int r0 = 0; r0 < rows; r0 += tile) {
            for (int c0 = 0; c0 < cols; c0 += tile) {
                int rEnd = Math.min(rows, r0 + tile);
                int cEnd = Math.min(cols, c0 + tile);
                for (int r = r0; r < rEnd; r++) {
                    for (int c = c0; c < cEnd; c++) {
                        dst.put(c * rows + r, src.get(r * cols + c));
                    }
                }
            }
        }
    }

    private Mapped mapped(String name) {
        Mapped mapped = tensors.get(name);
        if (mapped == null) {
            throw new ModelException("missing tensor '" + name + "' in " + model.path());
        }
        return mapped;
    }

    /** {@code sha256:} of the ONNX file's bytes, computed on first use. */
    @Override
    public String fingerprint() {
        String result = fingerprint;
        if (result == null) {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            digest.update(model.bytes());
            result = "sha256:" + HexFormat.of().formatHex(digest.digest());
            fingerprint = result;
        }
        return result;
    }
}
