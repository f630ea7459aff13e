package io.layerwise.trainers.probes;

/**
 * One point of a probe's learning curve: the mean (class-weighted) cross-entropy over all training and
 * all validation rows after an epoch, measured without dropout and without the L2 term.
 *
 * @param epoch 1-based epoch
 * @param trainLoss loss on the training rows
 * @param validationLoss loss on the validation rows
 */
public record EpochLoss(int epoch, double trainLoss, double validationLoss) {}
