package io.layerwise.models.nn;

/**
 * The feed-forward sub-layer: {@code down(act(gate(x)) * up(x))} when gated (Llama, Qwen), otherwise
 * {@code down(act(up(x)))} (GPT-2, BERT). The down projection's input is the "MLP channels" tap.
 *
 * @param gate gate projection, or null for a plain MLP
 * @param up up projection {@code [I, H]}
 * @param down down projection {@code [H, I]}
 */
public record MlpWeights(Linear gate, Linear up, Linear down) {}
