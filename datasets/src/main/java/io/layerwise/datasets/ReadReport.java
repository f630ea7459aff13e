package io.layerwise.datasets;

import java.util.List;

/**
 * What a read did besides returning items: how many rows became items, how many bad rows were skipped
 * under {@link BadRowPolicy#SKIP} (with the first few reasons and their lines), how many well-formed rows
 * were excluded by the format's own rules (Jigsaw test rows labelled {@code -1}), and how many items have
 * an empty or blank text. Empty texts are kept, not dropped: they are well-formed data, and dropping them
 * would silently change the data set; the count lets a caller notice and decide.
 *
 * @param rowsRead rows returned as items
 * @param rowsSkipped bad rows skipped (always 0 under {@link BadRowPolicy#FAIL})
 * @param rowsExcluded well-formed rows left out by the format's rules
 * @param emptyTexts returned items whose text is empty or only whitespace
 * @param firstSkipped the first {@value #KEPT_REASONS} skipped rows, in file order
 */
public record ReadReport(int rowsRead, int rowsSkipped, int rowsExcluded, int emptyTexts, List<BadRow> firstSkipped) {

    /** How many skipped rows keep their reason; the rest are only counted. */
    public static final int KEPT_REASONS = 10;

    public ReadReport {
        firstSkipped = List.copyOf(firstSkipped);
    }
}
