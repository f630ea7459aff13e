package io.layerwise.models.runtime;

import io.layerwise.models.ModelException;
import io.layerwise.models.config.AttentionSpec.LayerAttention;
import io.layerwise.models.config.TransformerSpec;
import io.layerwise.models.precision.Precision;
import io.layerwise.models.precision.WeightMatrix;
import io.layerwise.models.weights.TensorDType;
import io.layerwise.models.weights.TensorInfo;
import io.layerwise.models.weights.WeightSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Estimates, before any weight is mapped, the memory a model needs for a workload in a precision,
 * and refuses to load when it exceeds what the machine has available, saying what would fit (a
 * smaller batch, {@code bf16}, fewer taps). The estimate reads only {@code config.json} and the
 * safetensors headers; see {@link MemoryEstimate} for its parts. Available memory is the kernel's
 * {@code MemAvailable}, lowered to a cgroup limit when one is set; the system property
 * {@code layerwise.memory.available} (e.g. {@code 16g}) replaces the measurement.
 *
 * <pre>{@code
 * MemoryEstimate e = MemoryPreflight.estimate(spec, weights, name -> false, Precision.BF16,
 *         Workload.forward(8, 128, Taps.of(TapKind.RESIDUAL)));
 * }</pre>
 */
public final class MemoryPreflight {
    /**
     * Anonymous memory of the JVM, DJL and libtorch around a model: 0.2-0.4 GiB measured with the heap
     * capped at 512 MiB (LargeBf16CheckpointMemoryTest); the rest leaves room for a larger Java heap.
     */
    static final long RUNTIME_BYTES = 640L << 20;
    private static final String OVERRIDE = "layerwise.memory.available";
    private static final long FLOAT = 4;

    private MemoryPreflight() {}

    /**
     * The estimate for {@code workload}; tensors for which {@code skipped} is true (vision towers,
     * buffers the adapter ignores) are never read and are not counted.
     */
    public static MemoryEstimate estimate(TransformerSpec spec, WeightSource source, Predicate<String> skipped,
            Precision precision, Workload workload) {
        long mapped = 0;
        long resident = 0;
        long widened = 0;
        for (String name : source.names()) {
            if (skipped.test(name)) {
                continue;
            }
            TensorInfo info = source.info(name);
            long numel = info.numel();
            boolean matrix = info.shape().length == 2;
            TensorDType dtype = info.dtype();
            if (!matrix) {
                // norms and biases: mapped when float32, widened otherwise
                if (dtype == TensorDType.F32) {
                    mapped += info.byteLength();
                } else {
                    resident += numel * FLOAT;
                }
            } else if (dtype == TensorDType.BF16) {
                mapped += info.byteLength();
                if (precision == Precision.F32) {
                    long columns = info.shape()[1];
                    long rowsAtOnce = Math.max(1, WeightMatrix.MAX_WIDENED_ELEMENTS / Math.max(1, columns));
                    widened = Math.max(widened, Math.min(numel, rowsAtOnce * columns) * FLOAT);
                }
            } else if (precision == Precision.BF16) {
                resident += numel * 2;
            } else if (dtype == TensorDType.F32) {
                mapped += info.byteLength();
            } else {
                resident += numel * FLOAT;
            }
        }
        return new MemoryEstimate(precision, workload, mapped, resident, widened, kvCache(spec, workload),
                activations(spec, workload), RUNTIME_BYTES);
    }

    /** Keys and values of the prompt and the new tokens, float32, for every layer (a sliding layer keeps its window). */
    static long kvCache(TransformerSpec spec, Workload w) {
        if (!spec.causal() || w.newTokens() == 0) {
            return 0;
        }
        long length = (long) w.tokens() + w.newTokens();
        long total = 0;
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            LayerAttention pattern = spec.attention().layer(layer);
            long kept = pattern.isSliding() ? Math.min(length, pattern.slidingWindow()) : length;
            total += 2L * w.batchSize() * spec.numKvHeads() * spec.headDim() * kept * FLOAT;
        }
        return total;
    }

    /** Tapped tensors kept for the whole pass, plus the working tensors of the largest block. */
    static long activations(TransformerSpec spec, Workload w) {
        long b = w.batchSize();
        long t = w.tokens();
        long keys = t + w.newTokens();
        long h = spec.hiddenSize();
        long heads = spec.numHeads();
        long width = Math.max(h, (long) spec.attentionWidth());
        Taps taps = w.taps();
        long kept = 0;
        for (int i = 0; i <= spec.numLayers(); i++) {
            kept += taps.wants(TapKind.RESIDUAL, i) ? b * t * h : 0;
        }
        for (int layer = 0; layer < spec.numLayers(); layer++) {
            kept += taps.wants(TapKind.ATTENTION_INPUT, layer) ? b * t * h : 0;
            kept += taps.wants(TapKind.HEAD_OUTPUTS, layer) ? b * t * spec.attentionWidth() : 0;
            kept += taps.wants(TapKind.MLP_CHANNELS, layer) ? b * t * spec.intermediateSize() : 0;
            kept += taps.wants(TapKind.ATTENTION_PROBS, layer) ? b * heads * t * t : 0;
        }
        kept += taps.wants(TapKind.LOGITS) && spec.causal() ? b * t * spec.vocabSize() : 0;
        kept += taps.wants(TapKind.NEXT_TOKEN_LOGITS) && spec.causal() ? b * spec.vocabSize() : 0;
        // one block at a time: residual, normed input, q/k/v, context and outputs (~10 x [B, T, H]),
        // scores, masked scores and probabilities (3 x [B, heads, T, keys]), gate, up and their product
        long working = 10 * b * t * width + 3 * b * heads * t * keys + 3 * b * t * spec.intermediateSize();
        return (kept + working) * FLOAT;
    }

    /**
     * Estimates and throws a {@link ModelException} naming what would fit when the estimate exceeds
     * {@code available} bytes; returns the estimate otherwise.
     */
    public static MemoryEstimate check(String modelId, TransformerSpec spec, WeightSource source,
            Predicate<String> skipped, Precision precision, Workload workload, long available) {
        MemoryEstimate needed = estimate(spec, source, skipped, precision, workload);
        if (needed.total() <= available) {
            return needed;
        }
        List<String> fits = new ArrayList<>();
        for (int batch = workload.batchSize() - 1; batch >= 1; batch--) {
            MemoryEstimate smaller = estimate(spec, source, skipped, precision, workload.withBatchSize(batch));
            if (smaller.total() <= available) {
                fits.add("batch " + batch + " instead of " + workload.batchSize() + " (" + MemoryEstimate.gib(smaller.total()) + ")");
                break;
            }
        }
        if (precision == Precision.F32) {
            MemoryEstimate bf16 = estimate(spec, source, skipped, Precision.BF16, workload);
            if (bf16.total() <= available) {
                fits.add("precision bf16 (" + MemoryEstimate.gib(bf16.total()) + ")");
            }
        }
        Taps fewest = Taps.of(TapKind.RESIDUAL).onLayers(spec.numLayers());
        if (!workload.taps().equals(fewest) && !workload.taps().kinds().isEmpty()) {
            MemoryEstimate lastOnly = estimate(spec, source, skipped, precision, workload.withTaps(fewest));
            if (lastOnly.total() <= available) {
                fits.add("fewer taps: with only the last residual layer tapped it needs "
                        + MemoryEstimate.gib(lastOnly.total()));
            }
        }
        String advice = fits.isEmpty()
                ? "Nothing smaller fits: the weights alone need " + MemoryEstimate.gib(needed.mappedWeights()
                        + needed.residentWeights() + needed.runtime()) + "; use a machine with more memory"
                : "What would fit: " + String.join("; ", fits);
        throw new ModelException(String.format(Locale.ROOT, "%s would need about %s, but %s is available. %s. "
                + "(Set -D%s=<bytes, e.g. 16g> if the measured figure is wrong.)", modelId, needed.describe(),
                MemoryEstimate.gib(available), advice, OVERRIDE));
    }

    /**
     * Memory this process may still use: {@code MemAvailable} from {@code /proc/meminfo}, lowered to
     * the room left under a cgroup (v2 or v1) limit; {@code -Dlayerwise.memory.available} overrides
     * both. {@link Long#MAX_VALUE} where nothing can be read (not Linux).
     */
    public static long availableBytes() {
        String override = System.getProperty(OVERRIDE);
        if (override != null && !override.isBlank()) {
            return parseBytes(override.strip());
        }
        long available = meminfo("MemAvailable:");
        long cgroup = cgroupRoom();
        return Math.min(available, cgroup);
    }

    /** {@code 16g}, {@code 512m}, {@code 1024k} or plain bytes. */
    static long parseBytes(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        long unit = switch (t.isEmpty() ? ' ' : t.charAt(t.length() - 1)) {
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            default -> 1;
        };
        String digits = unit == 1 ? t : t.substring(0, t.length() - 1);
        try {
            return Math.multiplyExact(Long.parseLong(digits.strip()), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new ModelException(OVERRIDE + " must be a byte count such as 16g or 512m, got '" + text + "'");
        }
    }

    private static long meminfo(String key) {
        for (String line : lines(Path.of("/proc/meminfo"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).replace("kB", "").strip()) * 1024;
            }
        }
        return Long.MAX_VALUE;
    }

    /** Limit minus usage, counting inactive file pages (reclaimable) as free; MAX_VALUE without a limit. */
    private static long cgroupRoom() {
        Path v2 = Path.of("/sys/fs/cgroup");
        long limit = number(v2.resolve("memory.max"));
        if (limit != Long.MAX_VALUE) {
            return limit - usage(v2.resolve("memory.current")) + stat(v2.resolve("memory.stat"), "inactive_file ");
        }
        Path v1 = v2.resolve("memory");
        limit = number(v1.resolve("memory.limit_in_bytes"));
        if (limit < (1L << 60)) {
            return limit - usage(v1.resolve("memory.usage_in_bytes"))
                    + stat(v1.resolve("memory.stat"), "total_inactive_file ");
        }
        return Long.MAX_VALUE;
    }

    private static long usage(Path file) {
        long value = number(file);
        return value == Long.MAX_VALUE ? 0 : value;
    }

    private static long number(Path file) {
        List<String> lines = lines(file);
        if (lines.isEmpty()) {
            return Long.MAX_VALUE;
        }
        try {
            return Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE; // "max"
        }
    }

    private static long stat(Path file, String key) {
        for (String line : lines(file)) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.substring(key.length()).strip());
            }
        }
        return 0;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | SecurityException e) {
            return List.of();
        }
    }
}
