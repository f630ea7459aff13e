package io.layerwise.models.testing;

import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.runtime.ForwardResult;

/** What tests compare between two runs of a model: every residual, then the logits of decoders. */
public final class ForwardOutputs {
    private ForwardOutputs() {}

    /** {@code [hidden_states 0..L, logits]} of a pass that tapped RESIDUAL (and LOGITS for decoders). */
    public static float[][] residualsAndLogits(ForwardResult r, TransformerSpec spec) {
        int layers = spec.numLayers();
        float[][] out = new float[layers + (spec.causal() ? 2 : 1)][];
        for (int i = 0; i <= layers; i++) {
            out[i] = r.residual(i).toFloatArray();
        }
        if (spec.causal()) {
            out[layers + 1] = r.logits().toFloatArray();
        }
        return out;
    }
}
