package io.layerwise.datasets;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Splits a file into numbered physical lines and decodes each one as strict UTF-8.
 *
 * <p>Lines are cut on the byte {@code \n} before decoding, which is safe because that byte never occurs
 * inside a multi-byte UTF-8 sequence; decoding line by line is what lets invalid bytes be reported with
 * their line number. A {@code \r} before the {@code \n} is dropped (CRLF files), and a UTF-8 byte order
 * mark at the start of the file is dropped.
 */
final class PhysicalLineReader implements Closeable {

    /**
     * One physical line.
     *
     * @param number 1-based line number
     * @param text the line without its terminator; invalid bytes replaced by U+FFFD
     * @param validUtf8 whether the line's bytes were valid UTF-8
     */
    record Line(long number, String text, boolean validUtf8) {}

    private static final char BYTE_ORDER_MARK = '\uFEFF';

    private final Path file;
    private final InputStream in;
    private final CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[1 << 16];
    private int position;
    private int limit;
    private byte[] line = new byte[256];
    private long number;

    PhysicalLineReader(Path file) {
        this.file = file;
        try {
            this.in = Files.newInputStream(file);
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
    }

    /** The next line, or {@code null} at the end of the file (a final line terminator opens no new line). */
    Line next() {
        int length = 0;
        boolean terminated = false;
        while (!terminated) {
            if (position == limit && !fill()) {
                if (length == 0) {
                    return null;
                }
                break;
            }
            int end = position;
            while (end < limit && buffer[end] != '\n') {
                end++;
            }
            terminated = end < limit;
            int chunk = end - position;
            if (length + chunk > line.length) {
                line = Arrays.copyOf(line, Math.max(2 * line.length, length + chunk));
            }
            System.arraycopy(buffer, position, line, length, chunk);
            length += chunk;
            position = terminated ? end + 1 : end;
        }
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        number++;
        return decode(length);
    }

    private Line decode(int length) {
        String text;
        boolean valid = true;
        try {
            text = strict.decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            // Decoded again with replacement so a CSV parser can still find where the row ends.
            text = new String(line, 0, length, StandardCharsets.UTF_8);
            valid = false;
        }
        if (number == 1 && !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK) {
            text = text.substring(1);
        }
        return new Line(number, text, valid);
    }

    private boolean fill() {
        try {
            int n = in.read(buffer);
            position = 0;
            limit = Math.max(n, 0);
            return n > 0;
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
    }
}
