package io.layerwise.datasets;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How to read a generic labelled text file: its format, which field holds the text, which the label,
 * which the id, and how string labels map to classes. Used for harmful / benign / general prompt sets
 * and for responses labelled refusal / compliance.
 *
 * <p>Text fields are tried in order and the first non-blank one is the text; this is how WildJailbreak's
 * layout is read, where {@code adversarial} holds the prompt of adversarial rows and is empty in vanilla
 * rows, whose prompt is {@code vanilla}. A label is an integer ({@code -1} = unlabelled), a boolean
 * ({@code true} = 1), or a key of the label map; map keys are matched first.
 *
 * <pre>{@code
 * LabelledTextSpec refusals = LabelledTextSpec.of(TextFileFormat.CSV, "text", "label");
 * LabelledTextSpec prompts = LabelledTextSpec.of(TextFileFormat.JSONL, "prompt", "kind")
 *         .withLabelMap(Map.of("harmful", 1, "benign", 0));
 * LabelledTextSpec general = LabelledTextSpec.of(TextFileFormat.JSONL, "text", null);  // unlabelled
 * }</pre>
 *
 * @param format file layout
 * @param textFields fields tried in order for the text; at least one
 * @param labelField field holding the label, or {@code null} for an unlabelled set
 * @param idField field holding the id, or {@code null} to use {@code <file name>:<line>}
 * @param labelMap string label to class ({@code -1} allowed for "unlabelled"); may be empty
 */
public record LabelledTextSpec(
        TextFileFormat format, List<String> textFields, String labelField, String idField, Map<String, Integer> labelMap) {

    public LabelledTextSpec {
        Objects.requireNonNull(format, "format");
        textFields = List.copyOf(textFields);
        if (textFields.isEmpty()) {
            throw new IllegalArgumentException("at least one text field is needed");
        }
        labelMap = Map.copyOf(labelMap);
        labelMap.forEach((key, value) -> {
            if (value < Example.UNLABELLED) {
                throw new IllegalArgumentException("label map value for '" + key + "' must be >= -1, got " + value);
            }
        });
    }

    /** One text field and an optional label field, no id field, no label map. */
    public static LabelledTextSpec of(TextFileFormat format, String textField, String labelField) {
        return new LabelledTextSpec(format, List.of(textField), labelField, null, Map.of());
    }

    /**
     * WildJailbreak's train TSV ({@code vanilla, adversarial, completion, data_type}): the prompt is
     * {@code adversarial} where present, else {@code vanilla}; {@code *_harmful} rows are class 1 and
     * {@code *_benign} rows class 0.
     */
    public static LabelledTextSpec wildJailbreak() {
        return new LabelledTextSpec(TextFileFormat.TSV, List.of("adversarial", "vanilla"), "data_type", null, Map.of(
                "vanilla_harmful", 1, "adversarial_harmful", 1, "vanilla_benign", 0, "adversarial_benign", 0));
    }

    public LabelledTextSpec withLabelMap(Map<String, Integer> map) {
        return new LabelledTextSpec(format, textFields, labelField, idField, map);
    }

    public LabelledTextSpec withIdField(String field) {
        return new LabelledTextSpec(format, textFields, labelField, field, labelMap);
    }

    /** The columns a CSV or TSV header must name: every field this spec reads. */
    List<String> fieldsRead() {
        List<String> fields = new ArrayList<>(textFields);
        if (labelField != null) {
            fields.add(labelField);
        }
        if (idField != null) {
            fields.add(idField);
        }
        return fields;
    }

    /** Every component, as the fingerprint's settings; the label map sorted so its order cannot matter. */
    SortedMap<String, String> settings() {
        SortedMap<String, String> settings = new TreeMap<>();
        settings.put("reader", "labelled-text");
        settings.put("format", format.name());
        settings.put("text_fields", String.join("\t", textFields));
        settings.put("label_field", String.valueOf(labelField));
        settings.put("id_field", String.valueOf(idField));
        settings.put("label_map", new TreeMap<>(labelMap).toString());
        return settings;
    }
}
