package io.layerwise.cli;

import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.TokenBatch;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** The options shared by commands that run a model on one input: which model, and text or token ids. */
final class ModelInput {
    @Option(names = "--model", required = true,
            description = "Hugging Face model directory, or a bundled encoder: all-minilm-l6-v2, bge-small-en-v15, e5-small-v2")
    String model;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Input input;

    static final class Input {
        @Option(names = "--text", description = "Text to tokenize with the model's tokenizer.json")
        String text;

        @Option(names = "--input-ids", split = ",", description = "Comma-separated token ids, e.g. 1,17,42")
        long[] inputIds;
    }

    /**
     * An upper bound on the input's length in tokens before the tokenizer is loaded (for the memory
     * preflight): the ids given, or the text's UTF-8 bytes plus room for special tokens.
     */
    int maxTokens() {
        if (input.inputIds != null) {
            return Math.max(1, input.inputIds.length);
        }
        return input.text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + 8;
    }

    /** The single-sequence batch for this input. */
    TokenBatch batch(FrozenTransformer loaded) {
        if (input.inputIds != null) {
            if (input.inputIds.length == 0) {
                throw new UserInputException("--input-ids is empty");
            }
            return TokenBatch.single(input.inputIds);
        }
        List<String> texts = new ArrayList<>();
        texts.add(input.text);
        return loaded.tokenize(texts, 0, io.layerwise.models.runtime.PaddingSide.RIGHT);
    }
}
