package io.layerwise.datasets.extract;

/** Receives an extraction's progress, in examples and real tokens; {@link ProgressMeter} shows it. */
public interface ExtractionProgress {

    /** Nothing is shown. */
    ExtractionProgress SILENT = new ExtractionProgress() {};

    /** The job starts with {@code done} of {@code total} examples already in committed shards. */
    default void start(long total, long done) {}

    /** A batch of {@code examples} texts with {@code tokens} real tokens was stored. */
    default void advance(int examples, long tokens) {}

    /** The last shard is committed. */
    default void finish() {}
}
