package io.layerwise.models.runtime;

import io.layerwise.models.bench.ProcessMemory;
import io.layerwise.models.precision.Precision;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Child-JVM program: loads a model in a precision, runs one forward pass with every residual tap,
 * and prints the process's memory as Linux counts it: peak anonymous RSS (heap, native allocations,
 * widened weights, activations; sampled every 2 ms from before loading), peak total RSS
 * ({@code VmHWM}, which includes touched pages of the mapped weight files), and file-backed RSS.
 * Usage: {@code MemoryProbe <model dir> <f32|bf16> <batch> <tokens>}.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    public static void main(String[] args) {
        Path dir = Path.of(args[0]);
        Precision precision = Precision.parse(args[1], "precision");
        int batch = Integer.parseInt(args[2]);
        int tokens = Integer.parseInt(args[3]);
        Taps taps = Taps.of(TapKind.RESIDUAL);
        long start = System.nanoTime();
        try (ProcessMemory.AnonymousPeak anonymous = ProcessMemory.sampleAnonymous();
             FrozenTransformer model = FrozenTransformer.load(dir, precision, Workload.forward(batch, tokens, taps))) {
            long loaded = System.nanoTime();
            SplittableRandom random = new SplittableRandom(1);
            List<long[]> ids = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                ids.add(random.longs(tokens, 3, model.spec().vocabSize()).toArray());
            }
            double norm;
            try (ForwardResult r = model.forward(TokenBatch.of(ids, PaddingSide.RIGHT, 0), taps)) {
                norm = r.residual(model.spec().numLayers()).norm().getFloat();
            }
            long done = System.nanoTime();
            System.out.printf("precision=%s load_s=%.2f forward_s=%.2f final_norm=%.3f%n", precision.label(),
                    (loaded - start) / 1e9, (done - loaded) / 1e9, norm);
            System.out.printf("peak_anon_mib=%d peak_rss_mib=%d rss_file_mib=%d%n", anonymous.peakBytes() >> 20,
                    ProcessMemory.peakRssBytes() >> 20, ProcessMemory.fileRssBytes() >> 20);
        }
    }
}
