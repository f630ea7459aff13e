package io.layerwise.datasets.extract;

/**
 * What one run of an extraction did and how fast: the throughput figures count only the examples this
 * run computed (not shards a killed run had committed) over the time spent computing them.
 *
 * @param examples examples in the store
 * @param rows rows per layer in the store
 * @param examplesComputed examples this run ran through the model
 * @param tokensComputed real (unpadded) tokens this run ran through the model
 * @param shardsComputed shards this run wrote
 * @param shardsReused shards already committed when this run started
 * @param loadSeconds time to load the model and open the store (on Spark: to start the SparkContext; executors
 *     load their models inside the extract time)
 * @param extractSeconds time spent computing and writing shards
 */
public record ExtractionStats(long examples, long rows, long examplesComputed, long tokensComputed, int shardsComputed,
        int shardsReused, double loadSeconds, double extractSeconds) {

    public double examplesPerSecond() {
        return extractSeconds > 0 ? examplesComputed / extractSeconds : 0;
    }

    public double tokensPerSecond() {
        return extractSeconds > 0 ? tokensComputed / extractSeconds : 0;
    }
}
