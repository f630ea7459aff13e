package io.layerwise.trainers.router;

/**
 * How routers are shaped and trained (the router part of a {@link RouteConfig}).
 *
 * @param sharedHeads heads always on per block
 * @param topK routed heads kept per token
 * @param weighting weights of the kept routed heads
 * @param twoWay MoH's two-way shared/routed weighting
 * @param beta weight of the load-balancing loss
 * @param learningRate Adam's learning rate
 * @param epochs passes over the training tokens
 * @param batchSize tokens per step
 * @param seed initialization and shuffling seed
 */
public record RouterSettings(int sharedHeads, int topK, GateWeighting weighting, boolean twoWay, double beta,
        double learningRate, int epochs, int batchSize, long seed) {}
