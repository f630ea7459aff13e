package io.layerwise.models.runtime;

import io.layerwise.models.ModelException;
import io.layerwise.models.config.TransformerSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Changes applied inside the forward pass: direction ablations on the residual stream, fixed head
 * masks or a per-token {@link HeadGate}, dropped blocks (the residual passes through unchanged) and
 * channel masks on the output/down projection inputs. Immutable; the {@code with*} methods return
 * copies.
 *
 * <pre>{@code
 * Interventions iv = Interventions.none()
 *         .withAblation(new DirectionAblation(Set.of(3, 4), direction, 1f))
 *         .withDroppedLayers(Set.of(7));
 * }</pre>
 *
 * @param ablations residual direction ablations, applied in order
 * @param headMasks per block index, a weight per head (0 removes the head)
 * @param headGate per-token head weights, or null
 * @param droppedLayers block indices that are skipped
 * @param channelMasks per block index, masks on projection input channels
 */
public record Interventions(
        List<DirectionAblation> ablations,
        Map<Integer, float[]> headMasks,
        HeadGate headGate,
        Set<Integer> droppedLayers,
        Map<Integer, ChannelMask> channelMasks) {

    private static final Interventions NONE = new Interventions(List.of(), Map.of(), null, Set.of(), Map.of());

    public Interventions {
        ablations = List.copyOf(ablations);
        headMasks = Collections.unmodifiableMap(new HashMap<>(headMasks));
        droppedLayers = Collections.unmodifiableSet(new TreeSet<>(droppedLayers));
        channelMasks = Collections.unmodifiableMap(new HashMap<>(channelMasks));
    }

    public static Interventions none() {
        return NONE;
    }

    public Interventions withAblation(DirectionAblation ablation) {
        List<DirectionAblation> list = new ArrayList<>(ablations);
        list.add(ablation);
        return new Interventions(list, headMasks, headGate, droppedLayers, channelMasks);
    }

    public Interventions withHeadMask(int layer, float[] weights) {
        Map<Integer, float[]> map = new HashMap<>(headMasks);
        map.put(layer, weights.clone());
        return new Interventions(ablations, map, headGate, droppedLayers, channelMasks);
    }

    public Interventions withHeadGate(HeadGate gate) {
        return new Interventions(ablations, headMasks, gate, droppedLayers, channelMasks);
    }

    public Interventions withDroppedLayers(Set<Integer> layers) {
        return new Interventions(ablations, headMasks, headGate, layers, channelMasks);
    }

    public Interventions withChannelMask(int layer, ChannelMask mask) {
        Map<Integer, ChannelMask> map = new HashMap<>(channelMasks);
        map.put(layer, mask);
        return new Interventions(ablations, headMasks, headGate, droppedLayers, map);
    }

    public boolean isEmpty() {
        return ablations.isEmpty() && headMasks.isEmpty() && headGate == null && droppedLayers.isEmpty()
                && channelMasks.isEmpty();
    }

    /** Checks every layer index and vector length against the model, naming what is wrong. */
    public void validate(TransformerSpec spec) {
        int blocks = spec.numLayers();
        for (DirectionAblation a : ablations) {
            if (a.direction().length != spec.hiddenSize()) {
                throw new ModelException("ablation direction has " + a.direction().length
                        + " components but the model's hidden size is " + spec.hiddenSize());
            }
            for (int layer : a.layers()) {
                requireIndex("ablation layer", layer, blocks + 1);
            }
        }
        headMasks.forEach((layer, mask) -> {
            requireIndex("head mask layer", layer, blocks);
            requireLength("head mask of layer " + layer, mask.length, spec.numHeads());
        });
        droppedLayers.forEach(layer -> requireIndex("dropped layer", layer, blocks));
        channelMasks.forEach((layer, mask) -> {
            requireIndex("channel mask layer", layer, blocks);
            if (mask.attention() != null) {
                requireLength("attention channel mask of layer " + layer, mask.attention().length, spec.attentionWidth());
            }
            if (mask.mlp() != null) {
                requireLength("MLP channel mask of layer " + layer, mask.mlp().length, spec.intermediateSize());
            }
        });
    }

    private static void requireIndex(String what, int index, int bound) {
        if (index < 0 || index >= bound) {
            throw new ModelException(what + " " + index + " is out of range 0.." + (bound - 1));
        }
    }

    private static void requireLength(String what, int length, int expected) {
        if (length != expected) {
            throw new ModelException(what + " has " + length + " entries, expected " + expected);
        }
    }
}
