package io.layerwise.datasets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes small data files byte-exactly, as the upstream tools would. */
final class TestFiles {
    private TestFiles() {}

    static Path write(Path dir, String name, String content) {
        return write(dir, name, content.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, byte[] content) {
        try {
            return Files.write(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The UTF-8 bytes of {@code before}, one invalid byte (0xFF), then the bytes of {@code after}. */
    static byte[] withInvalidByte(String before, String after) {
        byte[] a = before.getBytes(StandardCharsets.UTF_8);
        byte[] b = after.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[a.length + 1 + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        out[a.length] = (byte) 0xFF;
        System.arraycopy(b, 0, out, a.length + 1, b.length);
        return out;
    }

    static Path testbed() {
        return Path.of(System.getProperty("layerwise.shared"), "data", "testbed");
    }
}
