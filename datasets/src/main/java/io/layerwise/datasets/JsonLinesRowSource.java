package io.layerwise.datasets;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Rows of a JSON Lines file: one JSON object per physical line. A line that is not valid UTF-8, not
 * valid JSON, or not an object is a bad row. Scalar values become their text; a nested object or array
 * becomes its JSON text, so a reader that expects a string there sees something it can name in an error.
 */
final class JsonLinesRowSource implements RowSource {

    // Trailing tokens and duplicate keys mean the line is not the one object JSONL promises.
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private final Path file;
    private final ReadTally tally;
    private final PhysicalLineReader lines;

    JsonLinesRowSource(Path file, ReadTally tally) {
        this.file = file;
        this.tally = tally;
        this.lines = new PhysicalLineReader(file);
    }

    @Override
    public Optional<SourceRow> next() {
        for (PhysicalLineReader.Line line = lines.next(); line != null; line = lines.next()) {
            if (line.text().isBlank()) {
                continue;
            }
            if (!line.validUtf8()) {
                tally.reject(new BadRow(file, line.number(), null, "bytes that are not valid UTF-8; re-encode the file as UTF-8"));
                continue;
            }
            JsonNode node;
            try {
                node = JSON.readTree(line.text());
            } catch (JacksonException e) {
                tally.reject(new BadRow(file, line.number(), null, "not valid JSON (" + e.getOriginalMessage()
                        + "); each line must hold one complete JSON object"));
                continue;
            }
            if (!node.isObject()) {
                tally.reject(new BadRow(file, line.number(), null, "expected a JSON object, found "
                        + node.getNodeType().name().toLowerCase(Locale.ROOT)));
                continue;
            }
            Map<String, String> fields = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> entry : node.properties()) {
                JsonNode value = entry.getValue();
                if (!value.isNull()) {
                    fields.put(entry.getKey(), value.isValueNode() ? value.asText() : value.toString());
                }
            }
            return Optional.of(new SourceRow(file, line.number(), fields));
        }
        return Optional.empty();
    }

    @Override
    public void requireFields(List<String> fields, String hint) {
        // JSONL has no header: a missing field is a bad row, found when a reader asks for it.
    }

    @Override
    public void close() {
        lines.close();
    }
}
