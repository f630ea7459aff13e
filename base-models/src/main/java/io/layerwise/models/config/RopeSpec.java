package io.layerwise.models.config;

import io.layerwise.models.ModelException;

/**
 * Rotary position embedding settings and the inverse frequencies they give, as Hugging Face's
 * {@code ROPE_INIT_FUNCTIONS} compute them (in float32): the default {@code base^(-2j/d)}, optionally
 * rescaled by {@code linear} scaling or by Llama 3's frequency-dependent {@code llama3} scaling.
 *
 * @param theta the RoPE base ({@code rope_theta})
 * @param scaling how inverse frequencies are rescaled
 */
public record RopeSpec(double theta, Scaling scaling) {

    /** A rescaling of the inverse frequencies. */
    public sealed interface Scaling {
        float[] apply(float[] inverseFrequencies);
    }

    /** No rescaling ({@code rope_scaling: null} or {@code rope_type: default}). */
    public record NoScaling() implements Scaling {
        @Override
        public float[] apply(float[] inverseFrequencies) {
            return inverseFrequencies;
        }
    }

    /** {@code rope_type: linear}: every inverse frequency divided by {@code factor}. */
    public record LinearScaling(float factor) implements Scaling {
        @Override
        public float[] apply(float[] inverseFrequencies) {
            float[] out = new float[inverseFrequencies.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = inverseFrequencies[i] / factor;
            }
            return out;
        }
    }

    /**
     * {@code rope_type: llama3}: long wavelengths divided by {@code factor}, short ones kept, and a
     * smooth interpolation between {@code original/low_freq_factor} and {@code original/high_freq_factor}.
     */
    public record Llama3Scaling(float factor, float lowFreqFactor, float highFreqFactor, float originalMaxPositions)
            implements Scaling {
        @Override
        public float[] apply(float[] inverseFrequencies) {
            float lowFreqWavelen = originalMaxPositions / lowFreqFactor;
            float highFreqWavelen = originalMaxPositions / highFreqFactor;
            float[] out = new float[inverseFrequencies.length];
            for (int i = 0; i < out.length; i++) {
                float freq = inverseFrequencies[i];
                float wavelen = (float) (2 * Math.PI) / freq;
                float scaled = wavelen > lowFreqWavelen ? freq / factor : freq;
                boolean medium = !(wavelen < highFreqWavelen) && !(wavelen > lowFreqWavelen);
                if (medium) {
                    float smooth = (originalMaxPositions / wavelen - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                    scaled = (1 - smooth) * scaled / factor + smooth * scaled;
                }
                out[i] = scaled;
            }
            return out;
        }
    }

    /** Inverse frequencies for a rotary dimension of {@code dim} (the head size), length {@code dim/2}. */
    public float[] inverseFrequencies(int dim) {
        float[] inv = new float[dim / 2];
        for (int j = 0; j < inv.length; j++) {
            float exponent = (float) (2 * j) / dim;
            inv[j] = 1.0f / (float) Math.pow(theta, exponent);
        }
        return scaling.apply(inv);
    }

    /** Reads {@code rope_theta} and {@code rope_scaling} from a decoder config. */
    public static RopeSpec fromConfig(HfConfig config, double defaultTheta) {
        double theta = config.doubleOr("rope_theta", defaultTheta);
        return new RopeSpec(theta, config.object("rope_scaling").map(RopeSpec::scaling).orElse(new NoScaling()));
    }

    /**
     * Reads one entry of the {@code rope_parameters} form that transformers 5 writes
     * ({@code {"rope_type": "linear", "factor": 8.0, "rope_theta": 1e6}}): base and scaling together.
     */
    public static RopeSpec fromParameters(HfConfig parameters, double defaultTheta) {
        return new RopeSpec(parameters.doubleOr("rope_theta", defaultTheta), scaling(parameters));
    }

    private static Scaling scaling(HfConfig scaling) {
        String type = scaling.string("rope_type").or(() -> scaling.string("type")).orElse("default");
        return switch (type) {
            case "default" -> new NoScaling();
            case "linear" -> new LinearScaling(requirePositive(scaling, "factor"));
            case "llama3" -> new Llama3Scaling(
                    requirePositive(scaling, "factor"),
                    requirePositive(scaling, "low_freq_factor"),
                    requirePositive(scaling, "high_freq_factor"),
                    requirePositive(scaling, "original_max_position_embeddings"));
            default -> throw new ModelException(scaling.source() + ": rope_type '" + type
                    + "' is not supported (supported: default, linear, llama3)");
        };
    }

    private static float requirePositive(HfConfig config, String key) {
        double value = config.doubleOr(key, Double.NaN);
        if (!(value > 0)) {
            throw config.error(key, "must be a positive number");
        }
        return (float) value;
    }
}
