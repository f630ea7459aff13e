package io.layerwise.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.regex.Pattern;

/**
 * A SHA-256 content fingerprint of a data set, {@code sha256:<64 hex digits>}, recorded in activation
 * stores and probe bundles so that an artifact says exactly which data it was made from. It covers, in
 * order, each input file's name and the SHA-256 of its bytes, then the reader settings sorted by name.
 * File names count because generated ids ({@code gsm8k-dev.jsonl:12}) and MMLU subjects come from them;
 * directories do not, so the same files moved elsewhere keep their fingerprint.
 *
 * <pre>{@code
 * DatasetFingerprint f = DatasetFingerprint.of(List.of(Path.of("train.csv")), new TreeMap<>(Map.of("reader", "jigsaw-train")));
 * f.value();  // "sha256:3f1c..."
 * }</pre>
 *
 * @param value {@code sha256:} followed by 64 lowercase hex digits
 */
public record DatasetFingerprint(String value) {

    private static final Pattern FORMAT = Pattern.compile("sha256:[0-9a-f]{64}");
    // Versions the layout hashed below; change it if the layout changes so old and new never collide.
    private static final String LAYOUT = "layerwise-dataset-fingerprint/1";

    public DatasetFingerprint {
        if (value == null || !FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("not a dataset fingerprint (sha256:<64 hex digits>): " + value);
        }
    }

    /**
     * Fingerprints the files, read in the given order, and the settings.
     *
     * @throws DatasetException when a file cannot be read
     */
    public static DatasetFingerprint of(List<Path> files, SortedMap<String, String> settings) {
        MessageDigest digest = sha256();
        putString(digest, LAYOUT);
        putLong(digest, files.size());
        for (Path file : files) {
            putString(digest, String.valueOf(file.getFileName()));
            digest.update(fileHash(file));
        }
        putLong(digest, settings.size());
        for (Map.Entry<String, String> setting : settings.entrySet()) {
            putString(digest, setting.getKey());
            putString(digest, setting.getValue());
        }
        return new DatasetFingerprint("sha256:" + HexFormat.of().formatHex(digest.digest()));
    }

    @Override
    public String toString() {
        return value;
    }

    private static byte[] fileHash(Path file) {
        MessageDigest digest = sha256();
        byte[] buffer = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw DatasetException.cannotRead(file, e);
        }
        return digest.digest();
    }

    // Length-prefixed so that no two different (name, settings) sequences hash the same bytes.
    private static void putString(MessageDigest digest, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        putLong(digest, bytes.length);
        digest.update(bytes);
    }

    private static void putLong(MessageDigest digest, long n) {
        digest.update(ByteBuffer.allocate(Long.BYTES).putLong(n).array());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform must provide SHA-256", e);
        }
    }
}
