package io.layerwise.models.precision;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.models.ModelException;
import java.util.Locale;

/**
 * The arithmetic the linear layers of a frozen model run in: {@code precision:} in configs (Jackson
 * reads and writes the labels {@code f32} / {@code bf16}), {@code --precision} on the command line. Whatever the choice, norms, softmax, RoPE, residual
 * additions and every tapped tensor are float32; only the matrix products change.
 *
 * <pre>{@code
 * FrozenTransformer model = FrozenTransformer.load(dir, Precision.parse("bf16", "--precision"), Workload.minimal());
 * }</pre>
 */
public enum Precision {
    /**
     * float32 products, the exact path the fixture tests check. bf16 weights stay memory-mapped and
     * each matrix is widened just before its product and released right after.
     */
    F32,
    /**
     * bf16 products (the activations are rounded to bf16 at each linear layer's input, the result
     * is widened back to float32): about twice the matrix speed on CPUs with AVX512-BF16 or AMX,
     * half the weight memory for float32 checkpoints, and ~2e-3 relative error per layer.
     */
    BF16;

    /** The name users write: {@code f32} or {@code bf16} (also how configs serialize it). */
    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses {@code f32} / {@code bf16} (any case); {@code where} names the option or config key for the message. */
    public static Precision parse(String text, String where) {
        String normalized = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return switch (normalized) {
            case "f32", "fp32", "float32" -> F32;
            case "bf16", "bfloat16" -> BF16;
            default -> throw new ModelException(where + ": unknown precision '" + text + "' (use f32 or bf16)");
        };
    }

    /** For {@code precision:} in YAML/JSON configs read with Jackson. */
    @JsonCreator
    public static Precision fromConfig(String text) {
        return parse(text, "precision");
    }

    @Override
    public String toString() {
        return label();
    }
}
