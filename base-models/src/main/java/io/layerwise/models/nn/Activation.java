package io.layerwise.models.nn;

import ai.djl.ndarray.NDArray;
import io.layerwise.models.ModelException;

/**
 * The MLP non-linearities of the supported families, named as Hugging Face's {@code ACT2FN} names
 * them, each computed the way that implementation computes it.
 */
public enum Activation {
    /** {@code gelu}: exact, {@code 0.5 x (1 + erf(x / sqrt 2))} (BERT). */
    GELU_ERF,
    /** {@code gelu_new} / {@code gelu_pytorch_tanh}: the tanh approximation (GPT-2, Gemma). */
    GELU_TANH,
    /** {@code silu} / {@code swish}: {@code x sigmoid(x)} (Llama, Qwen). */
    SILU,
    /** {@code relu}. */
    RELU;

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    public NDArray apply(NDArray x) {
        return switch (this) {
            case GELU_ERF -> x.getNDArrayInternal().gelu();
            case GELU_TANH -> {
                // 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))), HF's NewGELUActivation
                NDArray inner = x.pow(3).muli(0.044715f).addi(x).muli((float) SQRT_2_OVER_PI).tanh();
                yield inner.addi(1f).muli(x).muli(0.5f);
            }
            case SILU -> x.getNDArrayInternal().sigmoid().muli(x);
            case RELU -> x.getNDArrayInternal().relu();
        };
    }

    /** Maps a config's {@code hidden_act} / {@code activation_function} value. */
    public static Activation fromHfName(String name, String source) {
        return switch (name) {
            case "gelu" -> GELU_ERF;
            case "gelu_new", "gelu_pytorch_tanh", "gelu_fast" -> GELU_TANH;
            case "silu", "swish" -> SILU;
            case "relu" -> RELU;
            default -> throw new ModelException(source + ": unsupported activation '" + name + "'");
        };
    }
}
