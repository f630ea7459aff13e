package io.layerwise.models.onnx;

import java.util.List;

/**
 * One operator of an ONNX graph: exporters name nodes after the PyTorch module path that produced
 * them ({@code /encoder/layer.0/attention/self/query/MatMul}), which is how unnamed weights are
 * traced back to their Hugging Face names.
 *
 * @param name node name, empty if the exporter gave none
 * @param opType operator, e.g. {@code MatMul}
 * @param inputs names of the tensors it reads (initializers or other nodes' outputs)
 * @param outputs names of the tensors it produces
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs) {

    public OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
