package io.layerwise.datasets.store;

import io.layerwise.models.files.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a {@code .npy} file of known shape element by element, in order, without holding the array:
 * labels, splits and token indices, which grow with the data set. The file appears under its name only
 * on {@link #commit()}; closing without committing deletes the temporary file.
 *
 * <pre>{@code
 * try (NpyStreamWriter labels = NpyStreamWriter.create(dir.resolve("labels.npy"), NpyDType.I64, n)) {
 *     for (Example e : examples) labels.putLong(e.label());
 *     labels.commit();
 * }
 * }</pre>
 */
final class NpyStreamWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final NpyHeader header;
    private final FileChannel channel;
    private final DataOutputStream out;
    private long written;
    private boolean committed;

    private NpyStreamWriter(Path target, NpyHeader header) throws IOException {
        this.target = target;
        this.temp = AtomicFiles.temporaryFor(target);
        this.header = header;
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        this.out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
        out.write(header.encode());
    }

    static NpyStreamWriter create(Path target, NpyDType dtype, long... shape) throws IOException {
        return new NpyStreamWriter(target, NpyHeader.of(dtype, shape));
    }

    void putLong(long value) throws IOException {
        out.writeLong(Long.reverseBytes(value));
        written += 8;
    }

    void putByte(byte value) throws IOException {
        out.writeByte(value);
        written += 1;
    }

    /** Checks that every element was written, forces the file and renames it into place. */
    void commit() throws IOException {
        long expected = header.elements() * header.dtype().bytes();
        if (written != expected) {
            throw new IllegalStateException(target + ": wrote " + written + " of " + expected + " data bytes");
        }
        out.flush();
        channel.force(true);
        out.close();
        AtomicFiles.commit(temp, target);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            out.close();
            Files.deleteIfExists(temp);
        }
    }
}
