package io.layerwise.models.files;

import com.fasterxml.jackson.databind.JsonMappingException;

/**
 * The dotted path of the field a Jackson binding failed at, as error messages name it:
 * {@code dataset.path}, {@code taps[1]}, {@code standardization.std}. Shared by the config loader and
 * the bundle card reader so both name fields alike.
 */
public final class JsonFieldPath {
    private JsonFieldPath() {}

    /** The failing field's path, or an empty string when the failure is at the top level. */
    public static String of(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
