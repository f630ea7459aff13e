package io.layerwise.models.testing;

import io.layerwise.models.weights.Float16;
import io.layerwise.models.weights.Float32Widening;
import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.SafetensorsWriter;
import io.layerwise.models.weights.TensorDType;
import io.layerwise.models.weights.TensorInfo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Writes altered copies of a fixture model directory for loader tests (dtype changes, shards, damage). */
public final class CheckpointCopies {
    private CheckpointCopies() {}

    /** A float32 tensor read from a model file. */
    public record Tensor(String name, long[] shape, float[] values) {}

    public static List<Tensor> readAll(Path modelDir) {
        SafetensorsFile file = SafetensorsFile.open(modelDir.resolve("model.safetensors"));
        List<Tensor> tensors = new ArrayList<>();
        for (TensorInfo info : file.tensors().values()) {
            float[] values = new float[(int) info.numel()];
            file.map(info).asFloatBuffer().get(values);
            tensors.add(new Tensor(info.name(), info.shape(), values));
        }
        return tensors;
    }

    /** Copies config.json (possibly edited) into {@code target}. */
    public static void copyConfig(Path modelDir, Path target, UnaryOperator<String> edit) {
        try {
            Files.createDirectories(target);
            String config = Files.readString(modelDir.resolve("config.json"));
            Files.writeString(target.resolve("config.json"), edit.apply(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the tensors as one safetensors file in the given dtype (F32, F16 or BF16). */
    public static void write(List<Tensor> tensors, TensorDType dtype, Path file) {
        SafetensorsWriter writer = new SafetensorsWriter();
        for (Tensor t : tensors) {
            writer.put(t.name(), dtype, t.shape(), encode(t.values(), dtype));
        }
        writer.write(file);
    }

    /** The values as they read back after a round trip through bf16 (round to nearest even). */
    public static float[] roundedToBf16(float[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.intBitsToFloat((Float32Widening.floatToBf16(values[i]) & 0xffff) << 16);
        }
        return out;
    }

    private static ByteBuffer encode(float[] values, TensorDType dtype) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (dtype) {
            case F32 -> {
                FloatBuffer floats = buffer.asFloatBuffer();
                floats.put(values);
            }
            case BF16 -> {
                for (float v : values) {
                    buffer.putShort(Float32Widening.floatToBf16(v));
                }
                buffer.flip();
            }
            case F16 -> {
                for (float v : values) {
                    buffer.putShort(Float16.fromFloat(v));
                }
                buffer.flip();
            }
            default -> throw new IllegalArgumentException(dtype.toString());
        }
        return buffer;
    }

    /** Splits the tensors over {@code shards} files with a {@code model.safetensors.index.json}. */
    public static void writeSharded(List<Tensor> tensors, int shards, Path dir) {
        StringBuilder map = new StringBuilder();
        for (int s = 0; s < shards; s++) {
            String name = String.format("model-%05d-of-%05d.safetensors", s + 1, shards);
            List<Tensor> part = new ArrayList<>();
            for (int i = s; i < tensors.size(); i += shards) {
                part.add(tensors.get(i));
                map.append(map.length() == 0 ? "" : ",\n").append("    \"").append(tensors.get(i).name())
                        .append("\": \"").append(name).append('"');
            }
            write(part, TensorDType.F32, dir.resolve(name));
        }
        try {
            Files.writeString(dir.resolve("model.safetensors.index.json"),
                    "{\n  \"metadata\": {\"total_size\": 0},\n  \"weight_map\": {\n" + map + "\n  }\n}\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the tensors with one replaced, removed ({@code replacement == null}) or added. */
    public static List<Tensor> edit(List<Tensor> tensors, String name, Tensor replacement) {
        List<Tensor> out = new ArrayList<>();
        boolean found = false;
        for (Tensor t : tensors) {
            if (t.name().equals(name)) {
                found = true;
                if (replacement != null) {
                    out.add(replacement);
                }
            } else {
                out.add(t);
            }
        }
        if (!found && replacement != null) {
            out.add(replacement);
        }
        return out;
    }

    public static Map<String, Tensor> byName(List<Tensor> tensors) {
        Map<String, Tensor> map = new java.util.LinkedHashMap<>();
        tensors.forEach(t -> map.put(t.name(), t));
        return map;
    }
}
