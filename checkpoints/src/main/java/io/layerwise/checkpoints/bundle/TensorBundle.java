package io.layerwise.checkpoints.bundle;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.ModelException;
import io.layerwise.models.files.AtomicFiles;
import io.layerwise.models.files.JsonFieldPath;
import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.SafetensorsWriter;
import io.layerwise.models.weights.TensorDType;
import io.layerwise.models.weights.TensorInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The portable format every Layerwise export shares: a directory with one safetensors file of named
 * float32 tensors (PyTorch names and layouts) and a {@code card.json} saying what they are and how they
 * were made. Probes, directions and routers are typed views over it, each with its own tensor file name
 * and card record; this class owns the format version, the atomic write and the validated read.
 *
 * <p>Writing is atomic for the directory as a whole: both files are written into a temporary sibling
 * directory, which is then renamed into place (an existing bundle there is first renamed aside and
 * deleted after), so a reader sees the old bundle, no bundle, or the complete new one, never a card
 * with the wrong tensors. A directory holding anything else is never replaced.
 *
 * <pre>{@code
 * new TensorBundle("probe.safetensors", card, Map.of("weight", FloatTensor.matrix(w))).write(dir);
 * TensorBundle read = TensorBundle.read(dir, "probe.safetensors");
 * ProbeCard card = read.card(ProbeCard.class);
 * }</pre>
 */
public final class TensorBundle {
    /** The format version written into every card; a reader refuses any other. */
    public static final String FORMAT = "layerwise-bundle/1";
    public static final String CARD_FILE = "card.json";

    static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final String tensorFile;
    private final ObjectNode card;
    private final SortedMap<String, FloatTensor> tensors;
    private final Path origin;

    /**
     * @param tensorFile name of the safetensors file inside the bundle, e.g. {@code probe.safetensors}
     * @param card the card: a record (written with snake_case keys) or a JSON object; its {@code format}
     *     must be {@link #FORMAT}
     * @param tensors the tensors by name
     */
    public TensorBundle(String tensorFile, Object card, Map<String, FloatTensor> tensors) {
        this(tensorFile, toJson(card), tensors, null);
    }

    private TensorBundle(String tensorFile, ObjectNode card, Map<String, FloatTensor> tensors, Path origin) {
        if (!tensorFile.endsWith(".safetensors") || tensorFile.contains("/") || tensorFile.equals(CARD_FILE)) {
            throw new IllegalArgumentException("tensor file name must be a plain *.safetensors name: " + tensorFile);
        }
        this.tensorFile = tensorFile;
        this.card = card;
        this.tensors = Collections.unmodifiableSortedMap(new TreeMap<>(tensors));
        this.origin = origin;
        if (!FORMAT.equals(card.path("format").asText(null))) {
            throw new IllegalArgumentException("a bundle card's format must be " + FORMAT + ", got " + card.get("format"));
        }
    }

    private static ObjectNode toJson(Object card) {
        JsonNode tree = JSON.valueToTree(card);
        if (!(tree instanceof ObjectNode object)) {
            throw new IllegalArgumentException("a bundle card must be a JSON object, got " + tree);
        }
        return object.deepCopy();
    }

    public String tensorFile() {
        return tensorFile;
    }

    /** The card as JSON (a copy). */
    public ObjectNode cardJson() {
        return card.deepCopy();
    }

    /**
     * The card bound to a record type with snake_case keys. A missing, unknown or mistyped field, or one
     * the record's constructor rejects, is a {@link BundleException} naming the card file and the field.
     */
    public <T> T card(Class<T> type) {
        try {
            return JSON.treeToValue(card, type);
        } catch (JsonMappingException e) {
            // a constructor's own check (ValueInstantiationException) says what is wrong in its message
            String why = e instanceof ValueInstantiationException && e.getCause() != null
                    ? e.getCause().getMessage() : e.getOriginalMessage();
            String field = JsonFieldPath.of(e);
            throw new BundleException(where(CARD_FILE) + ": " + (field.isEmpty() ? "" : "field " + field + ": ") + why, e);
        } catch (JsonProcessingException e) {
            throw new BundleException(where(CARD_FILE) + ": " + e.getOriginalMessage(), e);
        }
    }

    /** All tensors by name, sorted. */
    public Map<String, FloatTensor> tensors() {
        return tensors;
    }

    /** A tensor that must exist with exactly this shape; otherwise an error naming the file and tensor. */
    public FloatTensor tensor(String name, long... shape) {
        FloatTensor tensor = tensors.get(name);
        if (tensor == null) {
            throw new BundleException(where(tensorFile) + ": tensor '" + name + "' is missing (it has " + tensors.keySet() + ")");
        }
        if (!Arrays.equals(tensor.shape(), shape)) {
            throw new BundleException(where(tensorFile) + ": tensor '" + name + "' has shape " + tensor.shapeText()
                    + ", expected " + Arrays.toString(shape));
        }
        return tensor;
    }

    /** Fails, naming the file, unless the bundle holds exactly these tensor names. */
    public void requireTensorNames(Set<String> expected) {
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(tensors.keySet());
        Set<String> unexpected = new TreeSet<>(tensors.keySet());
        unexpected.removeAll(expected);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new BundleException(where(tensorFile) + ": "
                    + (missing.isEmpty() ? "" : "missing tensor(s) " + missing + (unexpected.isEmpty() ? "" : "; "))
                    + (unexpected.isEmpty() ? "" : "unexpected tensor(s) " + unexpected)
                    + "; expected exactly " + new TreeSet<>(expected));
        }
    }

    /** The file a message should name: inside the directory this bundle was read from, if any. */
    String where(String file) {
        return origin == null ? file : origin.resolve(file).toString();
    }

    /** The directory this bundle was read from, or null for one built in memory. */
    public Path origin() {
        return origin;
    }

    /**
     * Writes the bundle into {@code dir} atomically (see the class comment), creating parents. An
     * existing directory is replaced only when it holds nothing but a bundle's files.
     */
    public void write(Path dir) {
        Path target = dir.toAbsolutePath().normalize();
        Path staging = AtomicFiles.temporaryFor(target);
        Path aside = target.resolveSibling(target.getFileName() + ".old-" + ProcessHandle.current().pid());
        try {
            if (Files.exists(target)) {
                requireReplaceable(target);
            }
            deleteBundleDirectory(staging);
            Files.createDirectories(staging);
            SafetensorsWriter writer = new SafetensorsWriter();
            tensors.forEach((name, t) -> writer.putFloat32(name, t.shape(), t.values()));
            writer.write(staging.resolve(tensorFile));
            AtomicFiles.writeString(staging.resolve(CARD_FILE), JSON.writeValueAsString(card) + "\n");
            if (Files.exists(target)) {
                deleteBundleDirectory(aside);
                Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                deleteBundleDirectory(aside);
            } else {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (BundleException e) {
            throw e;
        } catch (IOException | ModelException | java.io.UncheckedIOException e) {
            throw new BundleException("cannot write the bundle " + target + ": " + e.getMessage(), e);
        } finally {
            try {
                deleteBundleDirectory(staging);
            } catch (IOException ignored) {
                // the failure that got here is the one to report; a leftover .tmp- directory is harmless
            }
        }
    }

    /** Refuses to replace a path that is not a directory holding only bundle files. */
    private static void requireReplaceable(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            throw new BundleException(target + " exists and is not a directory; choose another output");
        }
        try (Stream<Path> files = Files.list(target)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!isBundleFile(f)) {
                    throw new BundleException(target + " holds " + f.getFileName()
                            + ", which is not part of a bundle; refusing to replace it. Choose an empty or new directory.");
                }
            }
        }
    }

    private static boolean isBundleFile(Path f) {
        String name = f.getFileName().toString();
        return Files.isRegularFile(f) && (name.equals(CARD_FILE) || name.endsWith(".safetensors") || AtomicFiles.isTemporary(f));
    }

    /** Deletes a directory of bundle files (never recursing into anything else); absent is fine. */
    private static void deleteBundleDirectory(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (isBundleFile(f)) {
                    Files.delete(f);
                }
            }
        }
        Files.delete(dir);
    }

    /**
     * Reads and checks a bundle: the card must exist, be a JSON object and carry format {@link #FORMAT};
     * the tensor file must be a valid safetensors file of F32 tensors. The caller then checks names and
     * shapes ({@link #requireTensorNames}, {@link #tensor}) and binds the card ({@link #card(Class)}).
     */
    public static TensorBundle read(Path dir, String tensorFile) {
        Path cardFile = dir.resolve(CARD_FILE);
        JsonNode card;
        try {
            card = JSON.readTree(cardFile.toFile());
        } catch (JsonProcessingException e) {
            throw new BundleException(cardFile + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            if (!Files.isDirectory(dir)) {
                throw new BundleException(dir + " is not a bundle directory (no such directory)", e);
            }
            throw new BundleException(dir + " is not a bundle: cannot read " + CARD_FILE + " ("
                    + (e instanceof NoSuchFileException || !Files.exists(cardFile) ? "no such file" : e.getMessage()) + ")", e);
        }
        if (!(card instanceof ObjectNode object)) {
            throw new BundleException(cardFile + ": the card must be a JSON object");
        }
        JsonNode format = object.get("format");
        if (format == null || !format.isTextual()) {
            throw new BundleException(cardFile + ": field format is missing or not a string; a bundle card starts with "
                    + "\"format\": \"" + FORMAT + "\"");
        }
        if (!FORMAT.equals(format.asText())) {
            throw new BundleException(cardFile + ": field format is '" + format.asText() + "', but this Layerwise reads "
                    + FORMAT + "; export the bundle again with this version, or use the Layerwise that wrote it");
        }
        Path file = dir.resolve(tensorFile);
        if (!Files.isRegularFile(file)) {
            throw new BundleException(dir + " is not a complete bundle: " + tensorFile + " is missing");
        }
        SafetensorsFile safetensors = SafetensorsFile.open(file);
        SortedMap<String, FloatTensor> tensors = new TreeMap<>();
        for (TensorInfo info : safetensors.tensors().values()) {
            if (info.dtype() != TensorDType.F32) {
                throw new BundleException(file + ": tensor '" + info.name() + "' is " + info.dtype() + "; bundles hold F32 tensors");
            }
            float[] values = new float[Math.toIntExact(info.numel())];
            safetensors.map(info).asFloatBuffer().get(values);
            tensors.put(info.name(), new FloatTensor(info.shape(), values));
        }
        return new TensorBundle(tensorFile, object, tensors, dir);
    }
}
