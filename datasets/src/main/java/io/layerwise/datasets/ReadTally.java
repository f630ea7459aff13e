package io.layerwise.datasets;

import java.util.ArrayList;
import java.util.List;

/** Applies the bad-row policy during one read and counts what the {@link ReadReport} reports. */
final class ReadTally {
    private final BadRowPolicy policy;
    private final List<BadRow> firstSkipped = new ArrayList<>();
    private int skipped;
    private int excluded;
    private int emptyTexts;

    ReadTally(BadRowPolicy policy) {
        this.policy = policy;
    }

    /** Fails under {@link BadRowPolicy#FAIL}; otherwise counts the row as skipped. */
    void reject(BadRow row) {
        if (policy == BadRowPolicy.FAIL) {
            throw DatasetException.badRow(row);
        }
        skipped++;
        if (firstSkipped.size() < ReadReport.KEPT_REASONS) {
            firstSkipped.add(row);
        }
    }

    void exclude() {
        excluded++;
    }

    /** Counts the text if it is blank; returns it unchanged, since empty texts are kept. */
    String checkText(String text) {
        if (text.isBlank()) {
            emptyTexts++;
        }
        return text;
    }

    ReadReport report(int rowsRead) {
        return new ReadReport(rowsRead, skipped, excluded, emptyTexts, firstSkipped);
    }
}
