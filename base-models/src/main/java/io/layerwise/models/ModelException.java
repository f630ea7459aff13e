package io.layerwise.models;

/**
 * The one user-facing failure of the base-models module: a model directory, weight file, config key
 * or input that cannot be used. Messages name the file, tensor or key at fault and, where possible,
 * what to do about it; callers show them as they are.
 */
public class ModelException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
