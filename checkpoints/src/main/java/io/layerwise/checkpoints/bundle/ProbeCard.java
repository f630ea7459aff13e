package io.layerwise.checkpoints.bundle;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code card.json} of a probe or direction bundle: what the tensors are, which activations they
 * apply to (model, layer, tap, pooling, tokenization) and how they were made (metrics, training
 * config, data set, seed). {@code layerwise score} reads the first group to reproduce the pooled rows
 * the probe was trained on and refuses a model whose weight fingerprint differs; the second group is
 * provenance. Keys are snake_case in JSON; absent optional fields are omitted.
 *
 * <p>Kinds: {@code mlp} needs an {@code activation}; {@code mlp} and {@code logistic} need
 * {@code standardization}, {@code threshold} and {@code output} = {@value #OUTPUT_PROBABILITY};
 * {@code direction} needs a {@code method} and has none of those (a direction lives in the raw
 * activation space). Test-split metrics are keyed {@code test_<metric>} ({@link #TEST_F1} picks the
 * best layer in {@code layerwise export --layer best}), validation ones {@code validation_<metric>}.
 *
 * @param format {@link TensorBundle#FORMAT}
 * @param kind {@code mlp}, {@code logistic} or {@code direction}
 * @param baseModel the model whose activations the bundle applies to
 * @param layer layer index of the tap (residual: Hugging Face {@code hidden_states} index, 0 = embeddings)
 * @param tap {@code residual}, {@code heads}, {@code mlp} or {@code attention_input}
 * @param pooling {@code mean}, {@code last} or {@code max} over the text's valid tokens
 * @param maxLength tokens kept per text (longer texts are cut)
 * @param paddingSide {@code left} or {@code right}
 * @param dim width d of one pooled row
 * @param activation MLP non-linearity; absent otherwise
 * @param output what a probe outputs: {@value #OUTPUT_PROBABILITY}; absent for directions
 * @param standardization probe input {@code x -> (x - mean) / std}; absent for directions
 * @param threshold the probability at or above which a row is predicted class 1; absent for directions
 * @param method direction method, {@code mean_difference} (Eq. 1) or {@code logistic} (Eq. 2); absent for probes
 * @param metrics figures of the trained probe, e.g. {@code test_f1}; may be empty
 * @param trainingConfig the resolved training config, as a JSON object; may be empty
 * @param datasetFingerprint fingerprint of the data set the probe was trained on
 * @param seed seed of the training run
 * @param createdAt ISO-8601 UTC time the bundle was made
 * @param layerwiseVersion version of Layerwise that made it
 */
public record ProbeCard(
        String format,
        BundleKind kind,
        BaseModel baseModel,
        int layer,
        String tap,
        String pooling,
        int maxLength,
        String paddingSide,
        int dim,
        ProbeActivation activation,
        String output,
        Standardization standardization,
        Threshold threshold,
        String method,
        Map<String, Double> metrics,
        Map<String, Object> trainingConfig,
        String datasetFingerprint,
        long seed,
        String createdAt,
        String layerwiseVersion) {

    /** The {@code output} of every probe: a probability, thresholded for predictions. */
    public static final String OUTPUT_PROBABILITY = "sigmoid probability of class 1";
    /** The metric that ranks layers for {@code --layer best}: F1 on the test split. */
    public static final String TEST_F1 = "test_f1";

    private static final Set<String> TAPS = Set.of("residual", "heads", "mlp", "attention_input");
    private static final Set<String> POOLINGS = Set.of("mean", "last", "max");
    private static final Set<String> PADDING_SIDES = Set.of("left", "right");
    private static final Set<String> METHODS = Set.of("mean_difference", "logistic");

    /**
     * @param id bundled encoder name or the model directory's absolute path, as in the activation store
     * @param weightFingerprint {@code sha256:} of the weights, as {@code FrozenTransformer.weightFingerprint()} gives
     * @param modelType the model config's {@code model_type}
     * @param precision arithmetic of the linear layers when the activations were taken: {@code f32} or {@code bf16}
     */
    public record BaseModel(String id, String weightFingerprint, String modelType, String precision) {
        public BaseModel {
            require(id != null && !id.isBlank(), "base_model.id: is required");
            require(weightFingerprint != null && !weightFingerprint.isBlank(), "base_model.weight_fingerprint: is required");
            require(modelType != null, "base_model.model_type: is required");
            require("f32".equals(precision) || "bf16".equals(precision),
                    "base_model.precision: must be f32 or bf16, got " + precision);
        }
    }

    /**
     * Feature standardization fitted on the training split; the probe sees {@code (x - mean) / std}.
     *
     * @param mean per-feature mean, d values
     * @param std per-feature standard deviation, d positive finite values
     */
    public record Standardization(float[] mean, float[] std) {
        public Standardization {
            require(mean != null && std != null, "standardization: needs mean and std");
            require(mean.length == std.length, "standardization: mean has " + mean.length + " values, std " + std.length);
            for (int i = 0; i < std.length; i++) {
                require(Float.isFinite(mean[i]), "standardization.mean[" + i + "]: is " + mean[i]);
                require(std[i] > 0 && Float.isFinite(std[i]), "standardization.std[" + i + "]: must be positive and finite, is " + std[i]);
            }
            mean = mean.clone();
            std = std.clone();
        }

        @Override
        public float[] mean() {
            return mean.clone();
        }

        @Override
        public float[] std() {
            return std.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Standardization s && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std);
        }

        @Override
        public String toString() {
            return "Standardization[d=" + mean.length + "]";
        }
    }

    /**
     * @param value probabilities at or above it are predicted class 1
     * @param chosenBy how it was chosen, e.g. {@code fixed} or {@code validation_f1}
     */
    public record Threshold(double value, String chosenBy) {
        public Threshold {
            require(value >= 0 && value <= 1, "threshold.value: must lie in [0, 1], got " + value);
            require(chosenBy != null && !chosenBy.isBlank(), "threshold.chosen_by: is required (e.g. fixed, validation_f1)");
        }
    }

    public ProbeCard {
        require(TensorBundle.FORMAT.equals(format), "format: must be " + TensorBundle.FORMAT + ", got " + format);
        require(kind != null, "kind: is required (mlp, logistic or direction)");
        require(kind != BundleKind.ROUTER, "kind: router bundles have their own card");
        require(baseModel != null, "base_model: is required");
        require(layer >= 0, "layer: must be >= 0, got " + layer);
        require(TAPS.contains(tap), "tap: must be one of " + TAPS + ", got " + tap);
        require(POOLINGS.contains(pooling), "pooling: must be one of " + POOLINGS + " (a bundle scores one row per text), got "
                + pooling);
        require(maxLength >= 1, "max_length: must be >= 1, got " + maxLength);
        require(PADDING_SIDES.contains(paddingSide), "padding_side: must be left or right, got " + paddingSide);
        require(dim >= 1, "dim: must be >= 1, got " + dim);
        boolean probe = kind != BundleKind.DIRECTION;
        require((kind == BundleKind.MLP) == (activation != null), kind == BundleKind.MLP
                ? "activation: an mlp probe needs one (relu, tanh, sigmoid)" : "activation: only mlp probes have one");
        if (probe) {
            require(OUTPUT_PROBABILITY.equals(output), "output: a probe's output is \"" + OUTPUT_PROBABILITY + "\", got " + output);
            require(standardization != null, "standardization: a probe needs its mean and std");
            require(standardization.mean.length == dim, "standardization: has " + standardization.mean.length
                    + " values, but dim is " + dim);
            require(threshold != null, "threshold: a probe needs one");
            require(method == null, "method: only directions have one");
        } else {
            require(output == null && standardization == null && threshold == null,
                    "a direction card has no output, standardization or threshold");
            require(METHODS.contains(method), "method: must be one of " + METHODS + ", got " + method);
        }
        metrics = metrics == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
        trainingConfig = trainingConfig == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(trainingConfig));
        require(datasetFingerprint != null && !datasetFingerprint.isBlank(), "dataset_fingerprint: is required");
        require(createdAt != null && !createdAt.isBlank(), "created_at: is required");
        require(layerwiseVersion != null && !layerwiseVersion.isBlank(), "layerwise_version: is required");
    }

    /** The test-split F1 recorded in {@link #metrics}, if any. */
    public java.util.OptionalDouble testF1() {
        Double f1 = metrics.get(TEST_F1);
        return f1 == null ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(f1);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
