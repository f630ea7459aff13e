package io.layerwise.models.nn;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.precision.WeightMatrix;

/**
 * A frozen affine map {@code y = x W^T + b} with {@code W} in Hugging Face's {@code [out, in]} layout
 * (GPT-2's {@code [in, out]} Conv1D weights are bound as a transposed view). The weight carries its
 * precision: a float32 matrix, or a bf16 one widened per product ({@code f32}) or multiplied in bf16
 * ({@code bf16}); the output is float32 either way.
 *
 * @param weight {@code [out, in]}
 * @param bias {@code [out]} float32, or null
 */
public record Linear(WeightMatrix weight, NDArray bias) {

    /** A float32 linear layer (derived weights such as pruned copies, tests). */
    public Linear(NDArray weight, NDArray bias) {
        this(WeightMatrix.of(weight), bias);
    }

    public NDArray apply(NDArray x) {
        return weight.linear(x, bias);
    }

    public long inFeatures() {
        return weight.columnCount();
    }

    public long outFeatures() {
        return weight.rowCount();
    }
}
