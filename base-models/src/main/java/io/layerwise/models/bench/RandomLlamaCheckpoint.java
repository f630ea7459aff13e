package io.layerwise.models.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.layerwise.models.ModelException;
import io.layerwise.models.weights.Float32Widening;
import io.layerwise.models.weights.SafetensorsWriter;
import io.layerwise.models.weights.TensorDType;
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

/**
 * Writes a Llama-layout model directory ({@code config.json} and bf16 safetensors, sharded with a
 * {@code model.safetensors.index.json} when larger than {@code maxShardBytes}) with seeded random
 * weights, streamed to disk so that checkpoints of many gigabytes need no memory. Matrices are
 * uniform with standard deviation {@code 1/sqrt(in)}, norms are 1: passes stay finite at any depth.
 * For benchmarks and memory tests, where only the layout and size matter.
 *
 * <pre>{@code
 * RandomLlamaCheckpoint.GPT2_SMALL_SIZED.write(Path.of("/tmp/bench-model"), 42, Long.MAX_VALUE);
 * }</pre>
 *
 * @param hiddenSize H
 * @param layers number of blocks
 * @param heads query heads
 * @param kvHeads key/value heads
 * @param intermediateSize MLP width
 * @param vocabSize vocabulary (untied LM head)
 */
public record RandomLlamaCheckpoint(int hiddenSize, int layers, int heads, int kvHeads, int intermediateSize,
        int vocabSize) {

    /** GPT-2 small's width and depth (12 x 768, 12 heads) in Llama layout: 134M parameters. */
    public static final RandomLlamaCheckpoint GPT2_SMALL_SIZED = new RandomLlamaCheckpoint(768, 12, 12, 12, 2048, 32000);

    private record Tensor(String name, long[] shape, boolean norm) {
        long numel() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    /** Parameters of the model (every tensor, untied head). */
    public long parameters() {
        return tensors().stream().mapToLong(Tensor::numel).sum();
    }

    /** Bytes of the weights in bf16. */
    public long bytes() {
        return 2 * parameters();
    }

    private List<Tensor> tensors() {
        long h = hiddenSize;
        long headDim = h / heads;
        long q = heads * headDim;
        long kv = kvHeads * headDim;
        List<Tensor> t = new ArrayList<>();
        t.add(new Tensor("model.embed_tokens.weight", new long[] {vocabSize, h}, false));
        for (int i = 0; i < layers; i++) {
            String p = "model.layers." + i + ".";
            t.add(new Tensor(p + "input_layernorm.weight", new long[] {h}, true));
            t.add(new Tensor(p + "self_attn.q_proj.weight", new long[] {q, h}, false));
            t.add(new Tensor(p + "self_attn.k_proj.weight", new long[] {kv, h}, false));
            t.add(new Tensor(p + "self_attn.v_proj.weight", new long[] {kv, h}, false));
            t.add(new Tensor(p + "self_attn.o_proj.weight", new long[] {h, q}, false));
            t.add(new Tensor(p + "post_attention_layernorm.weight", new long[] {h}, true));
            t.add(new Tensor(p + "mlp.gate_proj.weight", new long[] {intermediateSize, h}, false));
            t.add(new Tensor(p + "mlp.up_proj.weight", new long[] {intermediateSize, h}, false));
            t.add(new Tensor(p + "mlp.down_proj.weight", new long[] {h, intermediateSize}, false));
        }
        t.add(new Tensor("model.norm.weight", new long[] {h}, true));
        t.add(new Tensor("lm_head.weight", new long[] {vocabSize, h}, false));
        return t;
    }

    /**
     * Writes {@code config.json} and the weights into {@code directory}: one {@code model.safetensors}
     * when it fits in {@code maxShardBytes}, otherwise shards of at most that size (a tensor larger
     * than the limit gets a shard of its own) and an index.
     */
    public void write(Path directory, long seed, long maxShardBytes) {
        write(directory, seed, maxShardBytes, TensorDType.BF16);
    }

    /**
     * As {@link #write(Path, long, long)}, stored as {@code dtype}: F32 holds exactly the values of the
     * BF16 checkpoint with the same seed (bf16 values widened), so the two are the same model.
     */
    public void write(Path directory, long seed, long maxShardBytes, TensorDType dtype) {
        write(directory, seed, maxShardBytes, dtype, false);
    }

    /**
     * Writes the checkpoint as sparse files of zeros in {@code dtype} (F32 or BF16): the headers are
     * real and the files have their full size, but no data block is written or stored. For tests of
     * loading and of the memory preflight on models far larger than the disk or memory at hand.
     */
    public void writeSparse(Path directory, TensorDType dtype, long maxShardBytes) {
        write(directory, 0, maxShardBytes, dtype, true);
    }

    private void write(Path directory, long seed, long maxShardBytes, TensorDType dtype, boolean sparse) {
        if (dtype != TensorDType.BF16 && dtype != TensorDType.F32) {
            throw new IllegalArgumentException("random checkpoints are BF16 or F32, not " + dtype);
        }
        long width = dtype.bytes();
        try {
            Files.createDirectories(directory);
            Files.writeString(directory.resolve("config.json"), config());
            List<List<Tensor>> shards = new ArrayList<>();
            List<Tensor> current = new ArrayList<>();
            long currentBytes = 0;
            for (Tensor t : tensors()) {
                if (!current.isEmpty() && currentBytes + width * t.numel() > maxShardBytes) {
                    shards.add(current);
                    current = new ArrayList<>();
                    currentBytes = 0;
                }
                current.add(t);
                currentBytes += width * t.numel();
            }
            shards.add(current);
            if (shards.size() == 1) {
                writeShard(directory.resolve("model.safetensors"), shards.get(0), seed, dtype, sparse);
                return;
            }
            Map<String, String> weightMap = new LinkedHashMap<>();
            for (int s = 0; s < shards.size(); s++) {
                String file = String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
                writeShard(directory.resolve(file), shards.get(s), seed, dtype, sparse);
                shards.get(s).forEach(t -> weightMap.put(t.name(), file));
            }
            ObjectMapper json = new ObjectMapper();
            ObjectNode index = json.createObjectNode();
            index.putObject("metadata").put("total_size", width * parameters());
            ObjectNode map = index.putObject("weight_map");
            weightMap.forEach(map::put);
            Files.writeString(directory.resolve("model.safetensors.index.json"),
                    json.writerWithDefaultPrettyPrinter().writeValueAsString(index));
        } catch (IOException e) {
            throw new ModelException("cannot write a random checkpoint to " + directory + ": " + e.getMessage(), e);
        }
    }

    private String config() {
        ObjectNode c = new ObjectMapper().createObjectNode();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("hidden_size", hiddenSize);
        c.put("intermediate_size", intermediateSize);
        c.put("num_hidden_layers", layers);
        c.put("num_attention_heads", heads);
        c.put("num_key_value_heads", kvHeads);
        c.put("vocab_size", vocabSize);
        c.put("max_position_embeddings", 4096);
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("hidden_act", "silu");
        c.put("tie_word_embeddings", false);
        c.put("bos_token_id", 1);
        c.put("eos_token_id", 2);
        c.put("torch_dtype", "bfloat16");
        return c.toPrettyString();
    }

    private static void writeShard(Path file, List<Tensor> tensors, long seed, TensorDType dtype, boolean sparse)
            throws IOException {
        long width = dtype.bytes();
        List<SafetensorsWriter.HeaderEntry> entries = new ArrayList<>();
        long offset = 0;
        for (Tensor t : tensors) {
            entries.add(new SafetensorsWriter.HeaderEntry(t.name(), dtype, t.shape(), offset, offset + width * t.numel()));
            offset += width * t.numel();
        }
        ByteBuffer head = SafetensorsWriter.encodeHeader(entries, Map.of());
        ByteBuffer buffer = ByteBuffer.allocateDirect(8 << 20).order(ByteOrder.LITTLE_ENDIAN);
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            writeFully(out, head);
            if (sparse) {
                // a one-byte write at the end gives the file its size; everything before is a hole
                out.write(ByteBuffer.wrap(new byte[1]), head.limit() + offset - 1);
                return;
            }
            for (Tensor t : tensors) {
                // seeded per tensor, so the values do not depend on how the tensors are sharded
                long state = (seed * 0x9E3779B97F4A7C15L) ^ (t.name().hashCode() * 0xBF58476D1CE4E5B9L) | 1;
                long remaining = t.numel();
                // uniform on [-a, a] has standard deviation a / sqrt(3)
                float a = (float) Math.sqrt(3.0 / t.shape()[t.shape().length - 1]);
                short one = Float32Widening.floatToBf16(1f);
                while (remaining > 0) {
                    buffer.clear();
                    int n = (int) Math.min(remaining, buffer.capacity() / width);
                    for (int i = 0; i < n; i += 4) {
                        // xorshift64*: four 16-bit uniforms per step
                        state ^= state >>> 12;
                        state ^= state << 25;
                        state ^= state >>> 27;
                        long r = state * 0x2545F4914F6CDD1DL;
                        for (int k = 0; k < 4 && i + k < n; k++) {
                            float u = ((r >>> (16 * k)) & 0xffff) * (1f / 65536f);
                            short bits = t.norm() ? one : Float32Widening.floatToBf16((2 * u - 1) * a);
                            if (width == 2) {
                                buffer.putShort(bits);
                            } else {
                                buffer.putFloat(Float.intBitsToFloat((bits & 0xffff) << 16));
                            }
                        }
                    }
                    buffer.flip();
                    writeFully(out, buffer);
                    remaining -= n;
                }
            }
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            out.write(data);
        }
    }
}
