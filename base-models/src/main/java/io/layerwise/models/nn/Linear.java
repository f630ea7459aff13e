package io.layerwise.models.nn;

import ai.djl.ndarray.NDArray;

/**
 * A frozen affine map {@code y = x W^T + b} with {@code W} in Hugging Face's {@code [out, in]} layout
 * (GPT-2's {@code [in, out]} Conv1D weights are bound as a transposed view).
 *
 * @param weight {@code [out, in]}
 * @param bias {@code [out]}, or null
 */
public record Linear(NDArray weight, NDArray bias) {

    public NDArray apply(NDArray x) {
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    public long inFeatures() {
        return weight.getShape().get(1);
    }

    public long outFeatures() {
        return weight.getShape().get(0);
    }
}
