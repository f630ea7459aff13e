package io.layerwise.models.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A normalization over the last axis: LayerNorm (GPT-2, BERT) or RMSNorm (Llama, Qwen; also the
 * per-head q/k norms of Qwen3).
 */
public sealed interface Norm {

    NDArray apply(NDArray x);

    /** {@code (x - mean) / sqrt(var + eps) * w + b}, biased variance, as {@code torch.nn.LayerNorm}. */
    record LayerNorm(NDArray weight, NDArray bias, float eps) implements Norm {
        @Override
        public NDArray apply(NDArray x) {
            return x.getNDArrayInternal()
                    .layerNorm(x, new Shape(weight.getShape().get(0)), weight, bias, eps)
                    .singletonOrThrow();
        }
    }

    /** {@code w * x / sqrt(mean(x^2) + eps)} in float32, as HF's {@code LlamaRMSNorm}. */
    record RmsNorm(NDArray weight, float eps) implements Norm {
        @Override
        public NDArray apply(NDArray x) {
            NDArray scale = x.square().mean(new int[] {-1}, true).addi(eps).powi(-0.5f);
            return x.mul(scale).muli(weight);
        }
    }
}
