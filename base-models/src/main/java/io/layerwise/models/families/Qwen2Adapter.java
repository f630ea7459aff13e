package io.layerwise.models.families;

import io.layerwise.models.config.HfConfig;

/**
 * Qwen2 / Qwen2.5: the Llama layout with biases on the q, k and v projections (always, whatever
 * the config says) and none on the output projection.
 */
final class Qwen2Adapter extends LlamaAdapter {

    @Override
    protected String modelType() {
        return "qwen2";
    }

    @Override
    protected boolean qkvBias(HfConfig c) {
        return true;
    }

    @Override
    protected boolean outputBias(HfConfig c) {
        return false;
    }
}
