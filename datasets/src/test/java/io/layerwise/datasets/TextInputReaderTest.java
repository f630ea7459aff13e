package io.layerwise.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Texts to score: CSV with text or comment_text, JSONL, ids, and bad rows named by line. */
class TextInputReaderTest {
    @TempDir
    Path temp;

    @Test
    void readsCsvTextOrCommentTextWithIdsWhereTheFileHasThem() throws Exception {
        Path plain = temp.resolve("texts.csv");
        Files.writeString(plain, "text,source\nhello there,a\n\"two\nlines, quoted\",b\n");
        List<Example> texts = new TextInputReader(plain).read().items();
        assertThat(texts).extracting(Example::text).containsExactly("hello there", "two\nlines, quoted");
        assertThat(texts).extracting(Example::id).containsExactly("texts.csv:2", "texts.csv:3");
        assertThat(texts).allMatch(e -> !e.isLabelled());

        Path jigsaw = temp.resolve("train.csv");
        Files.writeString(jigsaw, "id,comment_text,toxic\n0001,you are kind,0\n0002,\"so \"\"rude\"\"\",1\n");
        assertThat(new TextInputReader(jigsaw).read().items()).extracting(Example::id, Example::text)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("0001", "you are kind"),
                        org.assertj.core.groups.Tuple.tuple("0002", "so \"rude\""));
    }

    @Test
    void readsJsonlAndNamesBadRowsByLine() throws Exception {
        Path jsonl = temp.resolve("texts.jsonl");
        Files.writeString(jsonl, "{\"text\": \"first\", \"id\": \"a\"}\n\n{\"text\": \"second\"}\n");
        assertThat(new TextInputReader(jsonl).read().items()).extracting(Example::id).containsExactly("a", "texts.jsonl:3");

        Files.writeString(jsonl, "{\"text\": \"first\"}\n{\"prompt\": \"no text\"}\n");
        assertThatThrownBy(() -> new TextInputReader(jsonl).read()).isInstanceOf(DatasetException.class)
                .hasMessageContaining(jsonl + ":2").hasMessageContaining("text or comment_text");
        Files.writeString(jsonl, "{\"text\": \"first\"}\n{\"text\": \"broken\n");
        assertThatThrownBy(() -> new TextInputReader(jsonl).read()).hasMessageContaining(jsonl + ":2").hasMessageContaining("not valid JSON");

        Path csv = temp.resolve("other.csv");
        Files.writeString(csv, "prompt,label\nhi,1\n");
        assertThatThrownBy(() -> new TextInputReader(csv).read())
                .hasMessageContaining(csv + ": the header has no column text or comment_text (it has prompt, label)");
        assertThatThrownBy(() -> new TextInputReader(temp.resolve("texts.txt"))).hasMessageContaining("name it .csv, .tsv or .jsonl");
    }
}
