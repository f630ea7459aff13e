package io.layerwise.models.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

/**
 * The commit step every Layerwise output file goes through: bytes are written to a temporary sibling
 * named {@code <name>.tmp-<pid>} (ignored by git), forced to disk, then renamed over the final name,
 * so a reader or a resumed job sees either the old file or the complete new one, never a torn one.
 *
 * <pre>{@code
 * AtomicFiles.writeString(runDir.resolve("metrics.json"), json);
 * }</pre>
 */
public final class AtomicFiles {
    private static final Pattern TEMPORARY = Pattern.compile(".*\\.tmp-\\d+");

    private AtomicFiles() {}

    /** The temporary sibling this process writes {@code target} through. */
    public static Path temporaryFor(Path target) {
        return target.resolveSibling(target.getFileName() + ".tmp-" + ProcessHandle.current().pid());
    }

    /** Whether a file name is one of these temporaries (left behind by a killed process). */
    public static boolean isTemporary(Path file) {
        return TEMPORARY.matcher(file.getFileName().toString()).matches();
    }

    /** Writes {@code bytes} to {@code target} atomically, creating parent directories. */
    public static void write(Path target, byte[] bytes) throws IOException {
        Path absolute = target.toAbsolutePath();
        Files.createDirectories(absolute.getParent());
        Path temp = temporaryFor(absolute);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                out.force(true);
            }
            commit(temp, absolute);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /** {@link #write} of UTF-8 text, with I/O failures unchecked and naming the file. */
    public static void writeString(Path target, String text) {
        try {
            write(target, text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /** Renames a complete, forced temporary file over {@code target} and forces the directory entry. */
    public static void commit(Path temp, Path target) throws IOException {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        // The rename itself lives in the directory: force it so a power loss cannot undo a commit.
        try (FileChannel dir = FileChannel.open(target.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems refuse to open directories; the rename is still atomic there
        }
    }
}
