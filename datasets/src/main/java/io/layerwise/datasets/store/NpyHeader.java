package io.layerwise.datasets.store;

import io.layerwise.datasets.DatasetException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of a {@code .npy} file (numpy format 1.0, NEP 1): the magic {@code \x93NUMPY}, the version,
 * a little-endian header length, and a Python dict literal {@code {'descr': '<f2', 'fortran_order': False,
 * 'shape': (n, d), }} padded with spaces and a newline so the data starts on a 64-byte boundary, as numpy
 * itself writes it. Only C-order arrays are read and written.
 *
 * @param dtype element type
 * @param shape dimensions, row-major
 * @param dataOffset bytes before the first element (the header's total length)
 */
public record NpyHeader(NpyDType dtype, long[] shape, long dataOffset) {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int PREAMBLE_V1 = 10;
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    public NpyHeader {
        shape = shape.clone();
    }

    /** The header of a C-order array of this type and shape, as it will be written. */
    public static NpyHeader of(NpyDType dtype, long... shape) {
        return new NpyHeader(dtype, shape, encode(dtype, shape).length);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long elements() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** Bytes of the whole file: header plus data. */
    public long fileBytes() {
        return dataOffset + elements() * dtype.bytes();
    }

    /** The header bytes, padded so that the data starts on a 64-byte boundary. */
    public byte[] encode() {
        return encode(dtype, shape);
    }

    private static byte[] encode(NpyDType dtype, long[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        if (shape.length == 1) {
            dims.append(',');
        }
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = PREAMBLE_V1 + dict.length() + 1;
        int total = (unpadded + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
        if (total - PREAMBLE_V1 > 0xffff) {
            throw new IllegalArgumentException("npy header too long for format 1.0: " + dict);
        }
        ByteBuffer out = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) (total - PREAMBLE_V1));
        out.put(dict.getBytes(StandardCharsets.US_ASCII));
        while (out.position() < total - 1) {
            out.put((byte) ' ');
        }
        out.put((byte) '\n');
        return out.array();
    }

    /** Reads and checks the header of {@code file} (format 1.0, 2.0 or 3.0; C order; a type of {@link NpyDType}). */
    public static NpyHeader read(FileChannel channel, Path file) throws IOException {
        ByteBuffer preamble = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(preamble, 0);
        preamble.flip();
        byte[] magic = new byte[MAGIC.length];
        if (preamble.remaining() < PREAMBLE_V1 || !Arrays.equals(get(preamble, magic), MAGIC)) {
            throw new DatasetException(file + " is not a .npy file (no \\x93NUMPY magic)");
        }
        int major = preamble.get();
        preamble.get();
        long headerLength;
        int preambleLength;
        if (major == 1) {
            headerLength = Short.toUnsignedInt(preamble.getShort());
            preambleLength = PREAMBLE_V1;
        } else if (major == 2 || major == 3) {
            headerLength = Integer.toUnsignedLong(preamble.getInt());
            preambleLength = PREAMBLE_V1 + 2;
        } else {
            throw new DatasetException(file + ": .npy format version " + major + " is not supported (1, 2 or 3)");
        }
        ByteBuffer dictBytes = ByteBuffer.allocate((int) headerLength);
        channel.read(dictBytes, preambleLength);
        String dict = new String(dictBytes.array(), StandardCharsets.ISO_8859_1);
        Matcher descr = DESCR.matcher(dict);
        Matcher fortran = FORTRAN.matcher(dict);
        Matcher shape = SHAPE.matcher(dict);
        if (!descr.find() || !fortran.find() || !shape.find()) {
            throw new DatasetException(file + ": malformed .npy header " + dict.strip());
        }
        if (fortran.group(1).equals("True")) {
            throw new DatasetException(file + ": Fortran-order arrays are not supported; save in C order");
        }
        NpyDType dtype = NpyDType.ofDescr(descr.group(1)).orElseThrow(() -> new DatasetException(
                file + ": dtype '" + descr.group(1) + "' is not one of <f2, <f4, <i8, |i1"));
        long[] dims = Arrays.stream(shape.group(1).split(",")).map(String::strip).filter(s -> !s.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        return new NpyHeader(dtype, dims, preambleLength + headerLength);
    }

    private static byte[] get(ByteBuffer buffer, byte[] into) {
        buffer.get(into);
        return into;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && h.dtype == dtype && Arrays.equals(h.shape, shape) && h.dataOffset == dataOffset;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Long.hashCode(dataOffset);
    }

    @Override
    public String toString() {
        return dtype.descr() + Arrays.toString(shape);
    }
}
