package io.layerwise.datasets.extract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonValue;
import io.layerwise.datasets.BadRowPolicy;
import io.layerwise.datasets.JigsawReader;
import io.layerwise.datasets.config.ConfigEnums;
import io.layerwise.datasets.config.ConfigFieldException;
import java.util.Map;

/**
 * The {@code dataset} block of an extraction config. Which fields apply depends on the format:
 * {@code jigsaw} reads {@code comment_text} and labels a row 1 when any of its six labels is 1
 * ({@code label_field: any}, the default) or when the one label named is 1 ({@code label_field: insult});
 * {@code test_labels} names Jigsaw's {@code test_labels.csv} when {@code path} is its {@code test.csv}.
 * {@code csv} and {@code jsonl} read {@code text_field} (default {@code text}) and {@code label_field}
 * (default {@code label}; {@code none} for an unlabelled set), optionally {@code id_field} and a
 * {@code label_map} from string labels to classes. {@code mmlu} and {@code gsm8k} take only the path.
 *
 * @param path data file (or MMLU CSV directory; MMLU may also be a Hugging Face {@code .parquet} file), relative to
 *     the working directory
 * @param format reader
 * @param textField text column or field
 * @param labelField label column or field; {@code none} for unlabelled; for Jigsaw {@code any} or one of its six labels
 * @param idField id column or field (csv/jsonl; ids are {@code file:line} without it)
 * @param testLabels Jigsaw's {@code test_labels.csv}, when {@code path} is {@code test.csv}
 * @param labelMap string label to class (csv/jsonl)
 * @param badRows {@code fail} (default) stops at the first bad row; {@code skip} skips and counts bad rows
 */
public record DatasetConfig(String path, DatasetFormat format, String textField, String labelField, String idField,
        String testLabels, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Integer> labelMap, BadRows badRows) {

    /** Unlabelled csv/jsonl data sets write this as their {@code label_field}. */
    public static final String NO_LABEL = "none";
    /** Jigsaw's default label: 1 when any of the six is 1. */
    public static final String ANY_JIGSAW_LABEL = "any";
    private static final String JIGSAW_TEXT = "comment_text";

    /** {@code bad_rows}: what to do with a row that cannot be read. */
    public enum BadRows {
        FAIL(BadRowPolicy.FAIL),
        SKIP(BadRowPolicy.SKIP);

        private final BadRowPolicy policy;

        BadRows(BadRowPolicy policy) {
            this.policy = policy;
        }

        public BadRowPolicy policy() {
            return policy;
        }

        @JsonCreator
        public static BadRows fromConfig(String name) {
            return ConfigEnums.parse(BadRows.class, name);
        }

        @JsonValue
        public String configName() {
            return ConfigEnums.configName(this);
        }
    }

    public DatasetConfig {
        if (path == null || path.isBlank()) {
            throw new ConfigFieldException("path", "is required: the data file to read");
        }
        if (format == null) {
            throw new ConfigFieldException("format", "is required: one of jigsaw, csv, jsonl, mmlu, gsm8k");
        }
        labelMap = labelMap == null ? Map.of() : Map.copyOf(labelMap);
        badRows = badRows == null ? BadRows.FAIL : badRows;
        if (testLabels != null && format != DatasetFormat.JIGSAW) {
            throw new ConfigFieldException("test_labels", "applies only to format jigsaw (its test_labels.csv)");
        }
        switch (format) {
            case JIGSAW -> {
                if (textField != null && !textField.equals(JIGSAW_TEXT)) {
                    throw new ConfigFieldException("text_field", "Jigsaw's text is always comment_text; remove this field");
                }
                textField = JIGSAW_TEXT;
                labelField = labelField == null ? ANY_JIGSAW_LABEL : labelField;
                if (!labelField.equals(ANY_JIGSAW_LABEL) && !JigsawReader.LABELS.contains(labelField)) {
                    throw new ConfigFieldException("label_field", "'" + labelField + "' is not any or one of Jigsaw's labels "
                            + String.join(", ", JigsawReader.LABELS));
                }
                requireAbsent("id_field", idField, "Jigsaw rows are identified by their id column");
                requireAbsent("label_map", labelMap.isEmpty() ? null : labelMap, "Jigsaw labels are already 0/1");
            }
            case CSV, JSONL -> {
                textField = textField == null ? "text" : textField;
                labelField = labelField == null ? "label" : labelField;
            }
            case MMLU, GSM8K -> {
                String why = format == DatasetFormat.MMLU ? "MMLU's columns are fixed" : "GSM8K's fields are fixed";
                requireAbsent("text_field", textField, why);
                requireAbsent("label_field", labelField, why);
                requireAbsent("id_field", idField, why);
                requireAbsent("label_map", labelMap.isEmpty() ? null : labelMap, why);
            }
        }
    }

    private static void requireAbsent(String field, Object value, String why) {
        if (value != null) {
            throw new ConfigFieldException(field, "does not apply here (" + why + "); remove it");
        }
    }
}
