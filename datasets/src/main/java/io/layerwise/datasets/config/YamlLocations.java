package io.layerwise.datasets.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a YAML document sits: a map from dotted paths ({@code dataset.path},
 * {@code taps[1]}) to the location of the key (or list item). Binding goes through a tree, which keeps no
 * locations, so errors find their line here by the path Jackson reports.
 */
final class YamlLocations {
    private YamlLocations() {}

    static Map<String, JsonLocation> index(String yaml) throws IOException {
        Map<String, JsonLocation> locations = new HashMap<>();
        try (JsonParser parser = new YAMLFactory().createParser(yaml)) {
            if (parser.nextToken() != null) {
                walk(parser, "", locations);
            }
        }
        return locations;
    }

    /** Indexes the value at the parser's current token, which starts at {@code path}. */
    private static void walk(JsonParser parser, String path, Map<String, JsonLocation> locations) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String child = path.isEmpty() ? parser.currentName() : path + "." + parser.currentName();
                locations.putIfAbsent(child, parser.currentTokenLocation());
                parser.nextToken();
                walk(parser, child, locations);
            }
        } else if (token == JsonToken.START_ARRAY) {
            int index = 0;
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                String child = path + "[" + index++ + "]";
                locations.putIfAbsent(child, parser.currentTokenLocation());
                walk(parser, child, locations);
            }
        }
    }
}
