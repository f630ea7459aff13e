package io.layerwise.datasets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One labelled (or unlabelled) text from a classification data set, as every reader of this module
 * produces it: the text to feed the model, the binary or class label a probe learns, the data set's own
 * finer labels, and where in the file the row started so a surprising example can be found again.
 *
 * <pre>{@code
 * Example e = JigsawReader.train(Path.of("train.csv"), BadRowPolicy.FAIL).read().items().get(0);
 * e.label();                    // 1 if any of the six Jigsaw labels is 1
 * e.rawLabels().get("threat");  // the six labels stay available
 * }</pre>
 *
 * @param id the data set's id, or {@code <file name>:<line>} for formats without one
 * @param text the text as read (line breaks inside a quoted CSV field are {@code \n})
 * @param label class label {@code >= 0}, or {@link #UNLABELLED}
 * @param rawLabels the data set's own labels in file column order (Jigsaw's six); empty when it has none
 * @param line physical line number (1-based) of the first line of the row in its file
 */
public record Example(String id, String text, int label, Map<String, Integer> rawLabels, long line) {

    /** The label of an example whose class is not known. */
    public static final int UNLABELLED = -1;

    public Example {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        if (label < UNLABELLED) {
            throw new IllegalArgumentException("label must be >= 0 or UNLABELLED (-1), got " + label);
        }
        // A LinkedHashMap copy rather than Map.copyOf: the column order of the file is meaningful to readers.
        rawLabels = Collections.unmodifiableMap(new LinkedHashMap<>(rawLabels));
    }

    /** Whether the example has a class label. */
    public boolean isLabelled() {
        return label != UNLABELLED;
    }
}
