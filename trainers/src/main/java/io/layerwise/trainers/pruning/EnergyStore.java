package io.layerwise.trainers.pruning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.datasets.DatasetException;
import io.layerwise.models.files.AtomicFiles;
import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.SafetensorsWriter;
import io.layerwise.models.weights.TensorInfo;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The energy histories {@code layerwise energies} writes and {@code layerwise aapp} reads: a directory
 * with one {@code <set>.safetensors} per prompt set ({@code general}, {@code benign}, {@code harmful};
 * float32 {@code attention [layers, heads*headDim]} and {@code mlp [layers, I]}, the set's fingerprint,
 * the model's weight fingerprint, the layers and the token count in the metadata) and a
 * {@code manifest.json} with the provenance of the whole store, written last as its commit marker.
 * Every file is written atomically; a set whose file already holds the same data and model is not
 * measured again, so an interrupted run resumes. {@code numpy}/{@code safetensors} read the set files
 * directly.
 *
 * <pre>{@code
 * EnergyStore store = EnergyStore.open(Path.of("runs/energies"));
 * ChannelEnergies harmful = store.set("harmful");
 * }</pre>
 */
public final class EnergyStore {
    public static final String FORMAT = "layerwise-energies/1";
    public static final List<String> SETS = List.of("general", "benign", "harmful");
    static final String MANIFEST = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path root;
    private final JsonNode manifest;

    private EnergyStore(Path root, JsonNode manifest) {
        this.root = root;
        this.manifest = manifest;
    }

    /** Opens a complete store, or says what is missing. */
    public static EnergyStore open(Path root) {
        Path file = root.resolve(MANIFEST);
        if (!Files.isRegularFile(file)) {
            throw new DatasetException(root + " is not a complete energy store (no " + MANIFEST
                    + "): run `layerwise energies` first, or let it finish");
        }
        try {
            JsonNode manifest = JSON.readTree(file.toFile());
            if (!FORMAT.equals(manifest.path("format").asText())) {
                throw new DatasetException(file + " is not a " + FORMAT + " manifest");
            }
            return new EnergyStore(root, manifest);
        } catch (IOException e) {
            throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public JsonNode manifest() {
        return manifest;
    }

    /** The weight fingerprint of the model the energies were measured on. */
    public String modelFingerprint() {
        return manifest.path("model_fingerprint").asText();
    }

    /** The energies of one set ({@code general}, {@code benign} or {@code harmful}). */
    public ChannelEnergies set(String name) {
        return readSet(root, name);
    }

    /** Whether {@code <name>.safetensors} already holds the energies of that data on that model. */
    static boolean hasSet(Path root, String name, String fingerprint, String modelFingerprint) {
        Path file = root.resolve(name + ".safetensors");
        if (!Files.isRegularFile(file)) {
            return false;
        }
        Map<String, String> meta = SafetensorsFile.open(file).metadata();
        return fingerprint.equals(meta.get("fingerprint")) && modelFingerprint.equals(meta.get("model_fingerprint"));
    }

    static void writeSet(Path root, String name, ChannelEnergies energies, String fingerprint, String modelFingerprint) {
        int n = energies.layers().size();
        new SafetensorsWriter()
                .putFloat32("attention", new long[] {n, energies.attention()[0].length}, flatten(energies.attention()))
                .putFloat32("mlp", new long[] {n, energies.mlp()[0].length}, flatten(energies.mlp()))
                .metadata("fingerprint", fingerprint).metadata("model_fingerprint", modelFingerprint)
                .metadata("layers", energies.layers().toString()).metadata("tokens", Long.toString(energies.tokens()))
                .metadata("kind", "mean squared activation per input channel of o_proj and down_proj, padding excluded")
                .write(root.resolve(name + ".safetensors"));
    }

    static ChannelEnergies readSet(Path root, String name) {
        SafetensorsFile file = SafetensorsFile.open(root.resolve(name + ".safetensors"));
        List<Integer> layers = new ArrayList<>();
        String listed = file.metadata().getOrDefault("layers", "[]").replaceAll("[\\[\\] ]", "");
        for (String l : listed.split(",")) {
            if (!l.isEmpty()) {
                layers.add(Integer.parseInt(l));
            }
        }
        return new ChannelEnergies(layers, rows(file, "attention"), rows(file, "mlp"),
                Long.parseLong(file.metadata().getOrDefault("tokens", "0")));
    }

    static void writeManifest(Path root, ObjectNode manifest) {
        manifest.put("format", FORMAT);
        try {
            AtomicFiles.writeString(root.resolve(MANIFEST), JSON.writeValueAsString(manifest) + "\n");
        } catch (IOException e) {
            throw new DatasetException("cannot write " + root.resolve(MANIFEST) + ": " + e.getMessage(), e);
        }
    }

    private static float[][] rows(SafetensorsFile file, String name) {
        TensorInfo info = file.tensor(name);
        FloatBuffer values = file.map(info).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int n = (int) info.shape()[0];
        float[][] out = new float[n][(int) info.shape()[1]];
        for (float[] row : out) {
            values.get(row);
        }
        return out;
    }

    private static float[] flatten(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * rows[0].length, rows[0].length);
        }
        return flat;
    }
}
