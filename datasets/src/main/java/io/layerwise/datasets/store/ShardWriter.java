package io.layerwise.datasets.store;

import io.layerwise.models.files.AtomicFiles;
import io.layerwise.models.weights.Float16;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes one activation shard, a {@code [rows, dim]} {@code .npy} of f16 or f32, in any row order:
 * rows arrive batch by batch in length-bucketed order and are written straight to their place in the
 * file, so nothing of the shard is held in memory. The shard is committed (forced and renamed into
 * place) only when every row has been written; closing an uncommitted writer deletes its temporary file.
 */
public final class ShardWriter implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final NpyHeader header;
    private final FileChannel channel;
    private final int dim;
    private final long rows;
    private final boolean[] rowWritten;
    private ByteBuffer scratch = ByteBuffer.allocate(0);
    private boolean committed;

    private ShardWriter(Path target, NpyDType dtype, long rows, int dim) throws IOException {
        if (dtype != NpyDType.F16 && dtype != NpyDType.F32) {
            throw new IllegalArgumentException("activation shards are f16 or f32, not " + dtype);
        }
        if (rows > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a shard holds at most 2^31-1 rows, asked for " + rows);
        }
        this.target = target;
        this.temp = AtomicFiles.temporaryFor(target);
        this.header = NpyHeader.of(dtype, rows, dim);
        this.dim = dim;
        this.rows = rows;
        this.rowWritten = new boolean[(int) rows];
        Files.createDirectories(target.getParent());
        this.channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ, StandardOpenOption.TRUNCATE_EXISTING);
        writeFully(ByteBuffer.wrap(header.encode()), 0);
    }

    /** Opens the temporary file of the shard that will be committed as {@code target}. */
    public static ShardWriter create(Path target, NpyDType dtype, long rows, int dim) throws IOException {
        return new ShardWriter(target, dtype, rows, dim);
    }

    /**
     * Writes {@code count} consecutive rows starting at row {@code firstRow}, taken from
     * {@code values[offset .. offset + count * dim)}, converted to the shard's type.
     */
    public void writeRows(long firstRow, float[] values, int offset, int count) throws IOException {
        if (firstRow < 0 || firstRow + count > rows) {
            throw new IndexOutOfBoundsException("rows " + firstRow + ".." + (firstRow + count) + " outside [0, " + rows + ")");
        }
        int bytes = count * dim * header.dtype().bytes();
        if (scratch.capacity() < bytes) {
            scratch = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        scratch.clear().limit(bytes);
        int n = count * dim;
        if (header.dtype() == NpyDType.F16) {
            for (int i = 0; i < n; i++) {
                scratch.putShort(Float16.fromFloat(values[offset + i]));
            }
        } else {
            scratch.asFloatBuffer().put(values, offset, n);
        }
        scratch.position(0);
        writeFully(scratch, header.dataOffset() + firstRow * dim * header.dtype().bytes());
        for (int r = 0; r < count; r++) {
            rowWritten[(int) firstRow + r] = true;
        }
    }

    /** Forces the complete shard to disk and renames it into place. */
    public void commit() throws IOException {
        for (int r = 0; r < rowWritten.length; r++) {
            if (!rowWritten[r]) {
                throw new IllegalStateException(target + ": row " + r + " of " + rows + " was never written");
            }
        }
        channel.force(true);
        channel.close();
        AtomicFiles.commit(temp, target);
        committed = true;
    }

    @Override
    public void close() throws IOException {
        if (!committed) {
            channel.close();
            Files.deleteIfExists(temp);
        }
    }

    private void writeFully(ByteBuffer data, long position) throws IOException {
        long at = position;
        while (data.hasRemaining()) {
            at += channel.write(data, at);
        }
    }
}
