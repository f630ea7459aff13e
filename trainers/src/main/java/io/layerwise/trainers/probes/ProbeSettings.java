package io.layerwise.trainers.probes;

/** The optimisation settings both probe kinds share, resolved from {@link MlpSettings} or {@link LogisticSettings}. */
record ProbeSettings(double l2, double learningRate, int epochs, int batchSize, int patience) {}
