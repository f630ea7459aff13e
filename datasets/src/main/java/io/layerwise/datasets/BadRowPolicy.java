package io.layerwise.datasets;

/**
 * What a reader does with a row it cannot use (wrong column count, unparseable label, unterminated
 * quote, bad JSON, missing field, invalid UTF-8). {@link #FAIL}, the safe default, stops with a
 * {@link DatasetException} naming the file and line; {@link #SKIP} drops the row and counts it in the
 * {@link ReadReport}, for large scraped data sets where a few broken rows are expected.
 * Problems with the file as a whole (missing file, missing header column) always fail.
 */
public enum BadRowPolicy {
    /** Stop at the first bad row. */
    FAIL,
    /** Skip bad rows, count them and keep the first few reasons. */
    SKIP
}
