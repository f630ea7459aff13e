package io.layerwise.models.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;

/**
 * The tensors a forward pass captured, owned by one native-memory scope: close the result (try with
 * resources) and they are freed. Accessors fail with a message when a tensor was not tapped.
 *
 * <pre>{@code
 * try (ForwardResult r = model.forward(batch, Taps.of(TapKind.RESIDUAL))) {
 *     float[] h3 = r.residual(3).toFloatArray();
 * }
 * }</pre>
 */
public final class ForwardResult implements AutoCloseable {

    /** A captured tensor's kind and layer (layer -1 for logits). */
    record Key(TapKind kind, int layer) {}

    private final NDManager manager;
    private final Map<Key, NDArray> tensors;
    private final TokenBatch batch;

    ForwardResult(NDManager manager, Map<Key, NDArray> tensors, TokenBatch batch) {
        this.manager = manager;
        this.tensors = Map.copyOf(tensors);
        this.batch = batch;
    }

    public TokenBatch batch() {
        return batch;
    }

    /** Residual stream at {@code hidden_states} index {@code i}, {@code [batch, seq, H]}. */
    public NDArray residual(int i) {
        return get(TapKind.RESIDUAL, i);
    }

    /** The normed input of block {@code layer}'s attention, {@code [batch, seq, H]}. */
    public NDArray attentionInput(int layer) {
        return get(TapKind.ATTENTION_INPUT, layer);
    }

    /** Per-head outputs of block {@code layer}, {@code [batch, seq, heads, headDim]}. */
    public NDArray headOutputs(int layer) {
        return get(TapKind.HEAD_OUTPUTS, layer);
    }

    /** Input channels of block {@code layer}'s MLP down projection, {@code [batch, seq, I]}. */
    public NDArray mlpChannels(int layer) {
        return get(TapKind.MLP_CHANNELS, layer);
    }

    /** Attention probabilities of block {@code layer}, {@code [batch, heads, seq, seq]}. */
    public NDArray attentionProbs(int layer) {
        return get(TapKind.ATTENTION_PROBS, layer);
    }

    /** Decoder logits {@code [batch, seq, vocab]}. */
    public NDArray logits() {
        return get(TapKind.LOGITS, -1);
    }

    /** Decoder logits of the last column, {@code [batch, vocab]}. */
    public NDArray nextTokenLogits() {
        return get(TapKind.NEXT_TOKEN_LOGITS, -1);
    }

    public boolean has(TapKind kind, int layer) {
        return tensors.containsKey(new Key(kind, layer));
    }

    private NDArray get(TapKind kind, int layer) {
        NDArray array = tensors.get(new Key(kind, layer));
        if (array == null) {
            throw new IllegalStateException(kind + (layer >= 0 ? " of layer " + layer : "")
                    + " was not captured: add it to the Taps of this forward pass");
        }
        return array;
    }

    @Override
    public void close() {
        manager.close();
    }
}
