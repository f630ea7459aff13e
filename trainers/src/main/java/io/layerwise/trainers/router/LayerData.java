package io.layerwise.trainers.router;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Per-token training rows of one block: what its attention reads and what each head returns, with the
 * block's output projection, so the dense attention output of a token is {@code heads W_o^T}.
 *
 * @param layer block index
 * @param inputs attention inputs {@code [tokens, H]}
 * @param heads per-head outputs, head-major {@code [tokens, heads * headDim]}
 * @param outputProjection {@code W_o}, {@code [H, heads * headDim]} (Hugging Face layout)
 * @param numHeads attention heads of the block
 */
public record LayerData(int layer, INDArray inputs, INDArray heads, INDArray outputProjection, int numHeads) {

    public LayerData {
        if (inputs.rows() != heads.rows()) {
            throw new IllegalArgumentException("layer " + layer + ": " + inputs.rows() + " input rows but "
                    + heads.rows() + " head-output rows");
        }
        if (heads.columns() != outputProjection.columns() || heads.columns() % numHeads != 0) {
            throw new IllegalArgumentException("layer " + layer + ": head outputs of width " + heads.columns()
                    + " do not match W_o " + java.util.Arrays.toString(outputProjection.shape()) + " and " + numHeads + " heads");
        }
    }

    public long tokens() {
        return inputs.rows();
    }

    public int headDim() {
        return (int) (heads.columns() / numHeads);
    }
}
