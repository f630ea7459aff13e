package io.layerwise.models.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.layerwise.models.ModelException;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A BERT-style encoder run by ONNX Runtime with every layer's hidden state exposed, as an independent
 * reference for the Java implementation: same weights, a different engine.
 *
 * <p>The hidden states are the outputs of the embedding LayerNorm ({@code /embeddings/LayerNorm/Add_1})
 * and of each layer's final LayerNorm ({@code /encoder/layer.N/output/LayerNorm/Add_1}); their tensor
 * names are read from the graph, since the last one is renamed {@code last_hidden_state}. They are
 * added as graph outputs with {@link OnnxModelFile#withExtraOutputs}. Token type ids are all zero.
 *
 * <pre>{@code
 * try (OnnxEncoderReference ref = new OnnxEncoderReference(onnxFile, 2)) {
 *     float[][][][] hidden = ref.hiddenStates(inputIds, attentionMask); // [layers + 1][batch][seq][hidden]
 * }
 * }</pre>
 */
public final class OnnxEncoderReference implements AutoCloseable {
    static final String EMBEDDING_OUTPUT_NODE = "/embeddings/LayerNorm/Add_1";
    private static final String INPUT_IDS = "input_ids";
    private static final String ATTENTION_MASK = "attention_mask";
    private static final String TOKEN_TYPE_IDS = "token_type_ids";

    private final Path onnxFile;
    private final List<String> hiddenStateNames;
    private final OrtEnvironment environment;
    private final OrtSession session;
    private final boolean takesTokenTypes;

    /**
     * Parses {@code onnxFile}, exposes its hidden states and opens an ONNX Runtime session.
     *
     * @param intraOpThreads threads for one operator; inter-op parallelism is off (one thread)
     */
    public OnnxEncoderReference(Path onnxFile, int intraOpThreads) {
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be at least 1, got " + intraOpThreads);
        }
        this.onnxFile = onnxFile;
        OnnxModelFile model = OnnxModelFile.open(onnxFile);
        if (!model.inputs().contains(INPUT_IDS) || !model.inputs().contains(ATTENTION_MASK)) {
            throw new ModelException(onnxFile + " takes inputs " + model.inputs()
                    + "; an encoder needs input_ids and attention_mask");
        }
        this.takesTokenTypes = model.inputs().contains(TOKEN_TYPE_IDS);
        this.hiddenStateNames = hiddenStateNames(model);
        List<String> extra = hiddenStateNames.stream().filter(n -> !model.outputs().contains(n)).toList();
        this.environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(intraOpThreads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            this.session = environment.createSession(model.withExtraOutputs(extra), options);
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime cannot load " + onnxFile + ": " + e.getMessage(), e);
        }
    }

    /** Output tensor names of the embedding LayerNorm and of each layer, in depth order. */
    static List<String> hiddenStateNames(OnnxModelFile model) {
        Map<String, OnnxNode> byName = new HashMap<>();
        model.nodes().forEach(n -> byName.put(n.name(), n));
        List<String> names = new ArrayList<>();
        names.add(firstOutput(byName, EMBEDDING_OUTPUT_NODE)
                .orElseThrow(() -> new ModelException(model.path() + " has no node '" + EMBEDDING_OUTPUT_NODE
                        + "': not a BERT-style encoder exported from Hugging Face")));
        for (int layer = 0; ; layer++) {
            Optional<String> name = firstOutput(byName, layerOutputNode(layer));
            if (name.isEmpty()) {
                break;
            }
            names.add(name.get());
        }
        if (names.size() == 1) {
            throw new ModelException(model.path() + " has no node '" + layerOutputNode(0) + "'");
        }
        return List.copyOf(names);
    }

    static String layerOutputNode(int layer) {
        return "/encoder/layer." + layer + "/output/LayerNorm/Add_1";
    }

    private static Optional<String> firstOutput(Map<String, OnnxNode> byName, String node) {
        return Optional.ofNullable(byName.get(node)).filter(n -> !n.outputs().isEmpty()).map(n -> n.outputs().get(0));
    }

    /** Number of encoder layers; {@link #hiddenStates} returns one more entry (the embeddings). */
    public int layerCount() {
        return hiddenStateNames.size() - 1;
    }

    /** The graph tensors read as hidden states: embeddings first, then each layer's output. */
    public List<String> hiddenStateNames() {
        return hiddenStateNames;
    }

    /**
     * Runs a padded batch and returns every hidden state.
     *
     * @param inputIds {@code [batch][seq]} token ids, every row the same length
     * @param attentionMask {@code [batch][seq]}, 1 for real tokens and 0 for padding
     * @return {@code [layers + 1][batch][seq][hidden]}; entry 0 is the embedding output
     */
    public float[][][][] hiddenStates(long[][] inputIds, long[][] attentionMask) {
        long[] shape = checkShape(inputIds, attentionMask);
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put(INPUT_IDS, tensor(inputIds, shape));
            inputs.put(ATTENTION_MASK, tensor(attentionMask, shape));
            if (takesTokenTypes) {
                inputs.put(TOKEN_TYPE_IDS, tensor(new long[(int) shape[0]][(int) shape[1]], shape));
            }
            try (OrtSession.Result result = session.run(inputs, new LinkedHashSet<>(hiddenStateNames))) {
                float[][][][] hidden = new float[hiddenStateNames.size()][][][];
                for (int i = 0; i < hidden.length; i++) {
                    OnnxValue value = result.get(hiddenStateNames.get(i)).orElseThrow();
                    hidden[i] = (float[][][]) value.getValue();
                }
                return hidden;
            }
        } catch (OrtException e) {
            throw new ModelException("ONNX Runtime failed on " + onnxFile + " for a batch of shape "
                    + shape[0] + "x" + shape[1] + ": " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    private static long[] checkShape(long[][] inputIds, long[][] attentionMask) {
        if (inputIds.length == 0 || inputIds[0].length == 0) {
            throw new IllegalArgumentException("empty batch");
        }
        if (attentionMask.length != inputIds.length) {
            throw new IllegalArgumentException("attention mask has " + attentionMask.length + " rows, input ids "
                    + inputIds.length);
        }
        int width = inputIds[0].length;
        for (int row = 0; row < inputIds.length; row++) {
            if (inputIds[row].length != width || attentionMask[row].length != width) {
                throw new IllegalArgumentException("row " + row + " is not " + width
                        + " wide in both input ids and mask: pad the batch first");
            }
        }
        return new long[] {inputIds.length, width};
    }

    private OnnxTensor tensor(long[][] rows, long[] shape) throws OrtException {
        LongBuffer flat = LongBuffer.allocate(Math.multiplyExact((int) shape[0], (int) shape[1]));
        for (long[] row : rows) {
            flat.put(row);
        }
        return OnnxTensor.createTensor(environment, flat.flip(), shape);
    }

    /** Releases the session; the process-wide ONNX Runtime environment stays. */
    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new ModelException("cannot close ONNX Runtime session of " + onnxFile + ": " + e.getMessage(), e);
        }
    }
}
