package io.layerwise.datasets;

import java.util.List;
import java.util.Objects;

/**
 * The result of {@link DatasetReader#read()}: the items in file order, the {@link ReadReport} of the
 * read, and the {@link DatasetFingerprint} to record in every artifact made from these items.
 *
 * @param items the items, in file order
 * @param report counts of rows read, skipped, excluded and with empty text
 * @param fingerprint content hash of the input files and the reader settings
 * @param <T> item type ({@link Example}, {@link MultipleChoiceItem}, {@link MathProblem})
 */
public record LoadedDataset<T>(List<T> items, ReadReport report, DatasetFingerprint fingerprint) {

    public LoadedDataset {
        items = List.copyOf(items);
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }
}
