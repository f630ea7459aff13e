package io.layerwise.trainers.router;

import io.layerwise.checkpoints.bundle.BundleKind;
import io.layerwise.checkpoints.bundle.ProbeCard;
import java.util.Map;

/**
 * The {@code card.json} of a router bundle (kind {@code router}): what the tensors are and how they were
 * made. The router reads the block's attention input ({@code tap: attention_input}, per token) and its
 * gates multiply the per-head outputs before the output projection.
 *
 * @param format bundle format, {@code layerwise-bundle/1}
 * @param kind {@code router}
 * @param baseModel the frozen model the router belongs to
 * @param layer block index
 * @param tap what the router reads: {@code attention_input}
 * @param heads attention heads of the block
 * @param sharedHeads always-on head indices
 * @param routedHeads routed head indices, in the order of the rows of {@code router.weight}
 * @param topK routed heads kept per token
 * @param weighting {@code mask} or {@code scores}
 * @param twoWay whether {@code mix.weight} (MoH's two-way weighting) is present
 * @param output what the router computes
 * @param metrics figures measured after training (e.g. validation reconstruction errors)
 * @param trainingConfig the resolved route config
 * @param datasetFingerprint fingerprint of the training texts' store
 * @param seed training seed
 * @param createdAt ISO-8601 UTC time
 * @param layerwiseVersion version of Layerwise that made it
 */
public record RouterCard(String format, BundleKind kind, ProbeCard.BaseModel baseModel, int layer, String tap, int heads,
        int[] sharedHeads, int[] routedHeads, int topK, GateWeighting weighting, boolean twoWay, String output,
        Map<String, Double> metrics, Map<String, Object> trainingConfig, String datasetFingerprint, long seed,
        String createdAt, String layerwiseVersion) {

    /** The {@code output} of every router card. */
    public static final String OUTPUT = "per-token weight of every head of the block (0 = head dropped), "
            + "multiplying the head outputs before o_proj";

    public RouterCard {
        if (kind != BundleKind.ROUTER) {
            throw new IllegalArgumentException("kind: a router card's kind is router, got " + kind);
        }
        if (sharedHeads == null || routedHeads == null || sharedHeads.length + routedHeads.length != heads) {
            throw new IllegalArgumentException("shared_heads and routed_heads must together list the " + heads + " heads");
        }
        if (topK < 1 || topK > routedHeads.length) {
            throw new IllegalArgumentException("top_k: must be between 1 and " + routedHeads.length + ", got " + topK);
        }
        metrics = metrics == null ? Map.of() : metrics;
        trainingConfig = trainingConfig == null ? Map.of() : trainingConfig;
    }
}
