package io.layerwise.models.runtime;

import io.layerwise.models.precision.Precision;
import java.util.Locale;

/**
 * The memory a model needs for a workload in one precision, by part, in bytes.
 *
 * @param precision the precision estimated for
 * @param workload the workload estimated for
 * @param mappedWeights weights read in place from the checkpoint files: page cache, not the heap or
 *     anonymous memory, but it must fit in RAM for passes to run at memory speed
 * @param residentWeights weights held in process memory (float32 copies of f16 files, bf16 copies of
 *     float32 files in {@code bf16}, norms and biases)
 * @param widenedMatrix the largest float32 copy of a bf16 matrix alive at once ({@code f32} on bf16
 *     weights; each matrix is widened just before its product and freed after it, so this is at most
 *     one block)
 * @param kvCache keys and values of the prompt and the generated tokens
 * @param activations tapped tensors plus the working tensors of one block
 * @param runtime the JVM and libtorch themselves
 */
public record MemoryEstimate(Precision precision, Workload workload, long mappedWeights, long residentWeights,
        long widenedMatrix, long kvCache, long activations, long runtime) {

    public long total() {
        return mappedWeights + residentWeights + widenedMatrix + kvCache + activations + runtime;
    }

    /** E.g. {@code 14.2 GiB in f32: weights 13.5 GiB mapped + 0.0 GiB in memory, ...}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s in %s (weights %s mapped + %s in memory, widened matrix %s, "
                + "KV cache %s, activations %s for batch %d x %d, runtime %s)", gib(total()), precision.label(),
                gib(mappedWeights), gib(residentWeights), gib(widenedMatrix), gib(kvCache), gib(activations),
                workload.batchSize(), workload.tokens() + workload.newTokens(), gib(runtime));
    }

    static String gib(long bytes) {
        return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
    }
}
