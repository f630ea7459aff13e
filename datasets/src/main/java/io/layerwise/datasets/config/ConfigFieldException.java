package io.layerwise.datasets.config;

/**
 * Thrown by a config record's constructor when one of its fields is invalid; {@link ConfigLoader} adds
 * the path of the record in the file and reports file, line and the full dotted field.
 */
public final class ConfigFieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String field;

    /**
     * @param field the field's name in the YAML ({@code text_field}), or null when the record as a whole is at fault
     * @param message what is wrong and what to write instead
     */
    public ConfigFieldException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The YAML name of the field at fault, or null for the enclosing record. */
    public String field() {
        return field;
    }
}
