package io.layerwise.trainers.eval;

import io.layerwise.models.tokenizer.TextTokenizer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The end of a generation: stop strings that are single tokens of the vocabulary (such as
 * {@code <|im_end|>}) become stop ids, checked by the decoder at every step; the others are looked
 * for in the decoded text, and the completion is cut before the first one found.
 */
final class StopStrings {
    private final Set<Long> ids = new HashSet<>();
    private final List<String> texts;

    StopStrings(TextTokenizer tokenizer, List<String> stops) {
        this.texts = stops.stream().filter(s -> {
            long[] encoded = tokenizer.encode(s, 0);
            boolean special = encoded.length == 1 && tokenizer.decode(encoded).isEmpty();
            if (special) {
                ids.add(encoded[0]);
            }
            return !special;
        }).toList();
    }

    Set<Long> ids() {
        return ids;
    }

    /** Whether the text already contains a textual stop string. */
    boolean reached(String text) {
        return texts.stream().anyMatch(text::contains);
    }

    /** The text cut before the first textual stop string. */
    String cut(String text) {
        int end = text.length();
        for (String stop : texts) {
            int at = text.indexOf(stop);
            if (at >= 0) {
                end = Math.min(end, at);
            }
        }
        return text.substring(0, end);
    }
}
