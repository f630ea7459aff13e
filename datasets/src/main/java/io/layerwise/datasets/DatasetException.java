package io.layerwise.datasets;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The one user-facing failure of the datasets module: a data file that cannot be read or a row that
 * cannot be used. Messages name the file and line (and field where one is at fault) and say what to do;
 * callers show them as they are.
 */
public final class DatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public DatasetException(String message) {
        super(message);
    }

    public DatasetException(String message, Throwable cause) {
        super(message, cause);
    }

    static DatasetException badRow(BadRow row) {
        return new DatasetException(row + ". Fix the row, or read with BadRowPolicy.SKIP to skip and count bad rows.");
    }

    static DatasetException cannotRead(Path file, IOException cause) {
        String reason = cause instanceof NoSuchFileException ? "no such file" : String.valueOf(cause.getMessage());
        return new DatasetException("Cannot read " + file + ": " + reason + ". Check the path and its permissions.", cause);
    }
}
