package io.layerwise.checkpoints.bundle;

import io.layerwise.models.ModelException;

/**
 * A bundle directory that cannot be written or read: a missing or malformed {@code card.json}, an
 * unknown format version, a missing, unexpected or mis-shaped tensor. Messages name the file and the
 * field or tensor at fault. It is a {@link ModelException} because a bundle is a model artifact: the
 * command line shows it as one message with exit status 2, like a bad weight file.
 */
public final class BundleException extends ModelException {
    private static final long serialVersionUID = 1L;

    public BundleException(String message) {
        super(message);
    }

    public BundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
