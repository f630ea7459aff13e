package io.layerwise.trainers.eval;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The final numeric answer of a GSM8K-style solution: the number after the last {@code ####} if
 * there is one, otherwise the last number in the text. Thousands separators are dropped and values
 * compare numerically ({@code 12}, {@code 12.0} and {@code 1,2} with a comma are the same answer as
 * {@code 12}).
 */
public final class FinalNumber {
    private static final Pattern NUMBER = Pattern.compile("-?\\d[\\d,]*(?:\\.\\d+)?");
    private static final String MARKER = "####";

    private FinalNumber() {}

    public static Optional<BigDecimal> extract(String text) {
        int marker = text.lastIndexOf(MARKER);
        if (marker >= 0) {
            Matcher m = NUMBER.matcher(text.substring(marker + MARKER.length()));
            if (m.find()) {
                return parse(m.group());
            }
        }
        Matcher m = NUMBER.matcher(text);
        String last = null;
        while (m.find()) {
            last = m.group();
        }
        return last == null ? Optional.empty() : parse(last);
    }

    private static Optional<BigDecimal> parse(String number) {
        try {
            return Optional.of(new BigDecimal(number.replace(",", "")).stripTrailingZeros());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
