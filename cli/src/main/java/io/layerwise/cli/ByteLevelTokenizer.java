package io.layerwise.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.files.AtomicFiles;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A Hugging Face {@code tokenizer.json} that maps every byte of UTF-8 text to one token (byte-level BPE
 * with GPT-2's byte-to-character table and no merges, ids 0..255): lets a model directory without a
 * tokenizer, such as the random {@code llama-bench} fixture (vocabulary 512), read real text in benchmarks.
 */
final class ByteLevelTokenizer {
    private ByteLevelTokenizer() {}

    static void write(Path file) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode().put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        root.putArray("added_tokens");
        root.putNull("normalizer");
        root.putObject("pre_tokenizer").put("type", "ByteLevel").put("add_prefix_space", false).put("trim_offsets", true)
                .put("use_regex", true);
        root.putNull("post_processor");
        root.putObject("decoder").put("type", "ByteLevel").put("add_prefix_space", true).put("trim_offsets", true)
                .put("use_regex", true);
        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false).put("byte_fallback", false).put("ignore_merges", false);
        ObjectNode vocab = model.putObject("vocab");
        int[] chars = byteCharacters();
        for (int b = 0; b < 256; b++) {
            vocab.put(new String(Character.toChars(chars[b])), b);
        }
        model.putArray("merges");
        try {
            AtomicFiles.writeString(file, json.writeValueAsString(root));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** GPT-2's {@code bytes_to_unicode}: printable bytes map to themselves, the others to 256 and up. */
    private static int[] byteCharacters() {
        int[] chars = new int[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            chars[b] = printable ? b : next++;
        }
        return chars;
    }
}
