package io.layerwise.models.tokenizer;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.layerwise.models.ModelException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model's {@code tokenizer.json} through DJL's Hugging Face tokenizers, with padding and
 * truncation switched off whatever the JSON carries (the MiniLM tokenizer pads every input to 128):
 * batching and padding are the runtime's job, truncation the caller's explicit choice.
 *
 * <pre>{@code
 * try (TextTokenizer tokenizer = TextTokenizer.load(modelDir.resolve("tokenizer.json"))) {
 *     long[] ids = tokenizer.encode("Hello world", 0);
 * }
 * }</pre>
 */
public final class TextTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;
    private final Path path;

    private TextTokenizer(HuggingFaceTokenizer tokenizer, Path path) {
        this.tokenizer = tokenizer;
        this.path = path;
    }

    /** Loads a {@code tokenizer.json}; special tokens (e.g. BERT's [CLS]/[SEP]) are added as it specifies. */
    public static TextTokenizer load(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new ModelException(tokenizerJson + " not found: --text needs a tokenizer.json (or pass --input-ids)");
        }
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, Map.of(
                    "addSpecialTokens", "true", "padding", "false", "truncation", "false"));
            return new TextTokenizer(tokenizer, tokenizerJson);
        } catch (IOException | RuntimeException e) {
            throw new ModelException("cannot load tokenizer " + tokenizerJson + ": " + e.getMessage(), e);
        }
    }

    /** Token ids of {@code text}; when {@code maxLength > 0}, the first {@code maxLength} of them. */
    public long[] encode(String text, int maxLength) {
        Encoding encoding = tokenizer.encode(text);
        long[] ids = encoding.getIds();
        return maxLength > 0 && ids.length > maxLength ? java.util.Arrays.copyOf(ids, maxLength) : ids;
    }

    /** Text of the given ids, special tokens skipped. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
