package io.layerwise.models.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.precision.Precision;
import io.layerwise.models.testing.ReferenceTensors;
import io.layerwise.models.testing.SharedFiles;
import io.layerwise.models.weights.Float32Widening;
import io.layerwise.models.weights.SafetensorsCheckpoint;
import io.layerwise.models.weights.SafetensorsFile;
import io.layerwise.models.weights.SafetensorsWriter;
import io.layerwise.models.weights.TensorDType;
import io.layerwise.models.weights.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sharded bf16 checkpoint whose first shard is larger than 2 GiB (the limit of one Java memory
 * map), written as a sparse file: its tensors sit behind a 2.25 GiB hole, with the norms stored as
 * float32 among the bf16 matrices. Both precisions load it and match the reference.
 */
class ShardBeyondTwoGibTest {
    private static final Path MODEL = SharedFiles.root().resolve("models/tiny-llama-bytes");
    private static final long HOLE = (9L << 30) / 4;

    @TempDir
    Path temp;

    @Test
    void tensorsPastTwoGibInAShardLoadInBothPrecisions() throws IOException {
        Path dir = writeSplitCheckpoint();
        Path big = dir.resolve("model-00001-of-00002.safetensors");
        assertThat(Files.size(big)).isGreaterThan(HOLE);
        SafetensorsCheckpoint checkpoint = SafetensorsCheckpoint.open(dir);
        assertThat(checkpoint.info("model.layers.0.self_attn.q_proj.weight").fileOffset()).isGreaterThan(1L << 31);
        assertThat(checkpoint.info("model.norm.weight").dtype()).isEqualTo(TensorDType.F32);

        ReferenceTensors reference = new ReferenceTensors(MODEL.resolve("reference.safetensors"));
        long[] ids = reference.longs("input_ids");
        for (Precision precision : Precision.values()) {
            double tolerance = precision == Precision.F32 ? 1e-4 : 2e-2;
            try (FrozenTransformer model = FrozenTransformer.load(dir, precision, Workload.minimal());
                 ForwardResult r = model.forward(TokenBatch.single(ids), Taps.of(TapKind.RESIDUAL, TapKind.LOGITS))) {
                for (int i = 0; i <= model.spec().numLayers(); i++) {
                    float[] expected = reference.floats("hidden_states." + i);
                    double error = precision == Precision.F32
                            ? ReferenceTensors.maxAbsDiff(expected, r.residual(i).toFloatArray())
                            : ReferenceTensors.relativeError(expected, r.residual(i).toFloatArray());
                    assertThat(error).as("%s hidden_states.%d", precision, i).isLessThanOrEqualTo(tolerance);
                }
            }
        }
    }

    /**
     * Splits the model over two shards: the first holds the blocks, behind a hole; the second the
     * embeddings, final norm and head. 1-D tensors (norms) are stored as float32 in both.
     */
    private Path writeSplitCheckpoint() throws IOException {
        Path dir = temp.resolve("split");
        Files.createDirectories(dir);
        for (String file : List.of("config.json", "tokenizer.json")) {
            Files.copy(MODEL.resolve(file), dir.resolve(file));
        }
        SafetensorsFile source = SafetensorsFile.open(MODEL.resolve("model.safetensors"));
        List<TensorInfo> blocks = new ArrayList<>();
        List<TensorInfo> rest = new ArrayList<>();
        for (TensorInfo info : source.tensors().values()) {
            (info.name().startsWith("model.layers.") ? blocks : rest).add(info);
        }
        Map<String, String> weightMap = new LinkedHashMap<>();
        writeShard(source, blocks, dir.resolve("model-00001-of-00002.safetensors"), HOLE);
        blocks.forEach(t -> weightMap.put(t.name(), "model-00001-of-00002.safetensors"));
        writeShard(source, rest, dir.resolve("model-00002-of-00002.safetensors"), 0);
        rest.forEach(t -> weightMap.put(t.name(), "model-00002-of-00002.safetensors"));
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode();
        index.putObject("metadata");
        ObjectNode map = index.putObject("weight_map");
        weightMap.forEach(map::put);
        Files.writeString(dir.resolve("model.safetensors.index.json"), index.toPrettyString());
        return dir;
    }

    /** Writes the tensors after {@code hole} bytes of nothing, with every 1-D tensor widened to float32. */
    private static void writeShard(SafetensorsFile source, List<TensorInfo> tensors, Path file, long hole)
            throws IOException {
        List<SafetensorsWriter.HeaderEntry> entries = new ArrayList<>();
        List<ByteBuffer> data = new ArrayList<>();
        long offset = hole;
        for (TensorInfo info : tensors) {
            ByteBuffer bytes = source.map(info);
            TensorDType dtype = info.dtype();
            if (info.shape().length == 1) {
                bytes = Float32Widening.widen(bytes, TensorDType.BF16, info.numel()).order(ByteOrder.LITTLE_ENDIAN);
                dtype = TensorDType.F32;
            }
            entries.add(new SafetensorsWriter.HeaderEntry(info.name(), dtype, info.shape(), offset, offset + bytes.remaining()));
            offset += bytes.remaining();
            data.add(bytes);
        }
        ByteBuffer head = SafetensorsWriter.encodeHeader(entries, java.util.Map.of());
        int padded = head.remaining() - 8;
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            write(out, head, 0);
            long position = 8 + padded + hole;
            for (ByteBuffer bytes : data) {
                int n = bytes.remaining();
                write(out, bytes, position);
                position += n;
            }
        }
    }

    private static void write(FileChannel out, ByteBuffer bytes, long position) throws IOException {
        long at = position;
        while (bytes.hasRemaining()) {
            at += out.write(bytes, at);
        }
    }
}
