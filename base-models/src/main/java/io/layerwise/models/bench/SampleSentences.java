package io.layerwise.models.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Thirty real English sentences of varied length (2 to 45 words), shipped as a resource: the inputs
 * of the encoder benchmark and of the parity tests against ONNX Runtime, so both run on natural text
 * rather than random token ids.
 */
public final class SampleSentences {
    private SampleSentences() {}

    public static List<String> all() {
        try (InputStream in = SampleSentences.class.getResourceAsStream("sample-sentences.txt")) {
            if (in == null) {
                throw new IllegalStateException("sample-sentences.txt missing from the classpath");
            }
            List<String> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    lines.add(line.strip());
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code count} texts of about {@code approxWords} words each, made by joining consecutive sentences
     * (starting at a different one for each text) until the target length is passed.
     */
    public static List<String> passages(int count, int approxWords) {
        List<String> sentences = all();
        List<String> passages = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder text = new StringBuilder();
            int words = 0;
            for (int j = i; words < approxWords; j++) {
                String s = sentences.get(j % sentences.size());
                text.append(text.length() == 0 ? "" : " ").append(s);
                words += s.split(" ").length;
            }
            passages.add(text.toString());
        }
        return passages;
    }
}
