package io.layerwise.models.bench;

import io.layerwise.models.precision.Precision;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.NativeThreads;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import io.layerwise.models.runtime.Workload;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Forward throughput of {@code bf16} against {@code f32} on the same model and batch in one run,
 * with every residual tapped and copied to Java arrays, and the peak memory of each. Each
 * configuration runs as its own phase (load, one warm-up pass, timed passes, close) with the peak
 * RSS reset before it, so each reports its own peak (anonymous figures may still include heap the
 * JVM kept from an earlier phase); tokens per second come from the median pass.
 * When a float32 copy of the weights is given, {@code f32} is also measured on it: the float32 speed
 * without the per-product widening that {@code f32} does on bf16 weights.
 *
 * @param batchSize sequences per batch
 * @param tokens tokens per sequence (random ids, no padding)
 * @param iterations timed passes per configuration, after one warm-up pass
 */
public record PrecisionThroughput(int batchSize, int tokens, int iterations) {

    /**
     * One configuration's figures.
     *
     * @param label what ran, e.g. {@code bf16 weights, f32 compute}
     * @param precision the compute precision
     * @param tokensPerSecond batch tokens over the median pass time
     * @param peakRssBytes {@code VmHWM} during the phase (includes touched pages of the mapped weights)
     * @param peakAnonymousBytes peak anonymous RSS during the phase
     */
    public record Measurement(String label, Precision precision, double tokensPerSecond, long peakRssBytes,
            long peakAnonymousBytes) {}

    /** What one benchmark run measured: {@code f32} and {@code bf16} on the bf16 weights, and optionally f32 on a float32 copy. */
    public record Result(MachineInfo machine, int threads, String model, long parameters, List<Measurement> measurements) {
        /** bf16 tokens/s over f32 tokens/s, both on the bf16 weights. */
        public double speedup() {
            return measurements.get(1).tokensPerSecond() / measurements.get(0).tokensPerSecond();
        }
    }

    /**
     * Measures {@code bf16Weights} in f32 and bf16, then {@code f32Weights} (same values stored as
     * float32; may be null) in f32.
     */
    public Result run(Path bf16Weights, Path f32Weights, PrintStream log) {
        int threads = NativeThreads.configure();
        List<Measurement> results = new ArrayList<>();
        long[] parameters = new long[1];
        results.add(measure(bf16Weights, Precision.F32, "bf16 weights, f32 compute (widened per product)", parameters, log));
        results.add(measure(bf16Weights, Precision.BF16, "bf16 weights, bf16 compute", parameters, log));
        if (f32Weights != null) {
            results.add(measure(f32Weights, Precision.F32, "f32 weights, f32 compute", parameters, log));
        }
        return new Result(MachineInfo.current(), threads, bf16Weights.toString(), parameters[0], List.copyOf(results));
    }

    private Measurement measure(Path dir, Precision precision, String label, long[] parameters, PrintStream log) {
        Taps taps = Taps.of(TapKind.RESIDUAL);
        // let the previous phase's garbage go, so its heap does not count in this phase's peaks
        System.gc();
        ProcessMemory.resetPeak();
        try (ProcessMemory.AnonymousPeak anonymous = ProcessMemory.sampleAnonymous();
             FrozenTransformer model = FrozenTransformer.load(dir, precision, Workload.forward(batchSize, tokens, taps))) {
            parameters[0] = countParameters(model);
            SplittableRandom random = new SplittableRandom(42);
            List<long[]> rows = new ArrayList<>();
            for (int b = 0; b < batchSize; b++) {
                rows.add(random.longs(tokens, 3, model.spec().vocabSize()).toArray());
            }
            TokenBatch batch = TokenBatch.of(rows, PaddingSide.RIGHT, model.spec().padTokenId());
            int layers = model.spec().numLayers();
            Runnable pass = () -> {
                try (ForwardResult r = model.forward(batch, taps)) {
                    for (int i = 0; i <= layers; i++) {
                        r.residual(i).toFloatArray();
                    }
                }
            };
            pass.run();
            double[] seconds = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                pass.run();
                seconds[i] = (System.nanoTime() - start) / 1e9;
            }
            Arrays.sort(seconds);
            double median = iterations % 2 == 1 ? seconds[iterations / 2]
                    : (seconds[iterations / 2 - 1] + seconds[iterations / 2]) / 2;
            Measurement m = new Measurement(label, precision, (double) batchSize * tokens / median,
                    ProcessMemory.peakRssBytes(), anonymous.peakBytes());
            log.printf("  %-48s passes %s s -> %.0f tokens/s, peak RSS %.0f MiB, peak anonymous %.0f MiB%n", label,
                    Arrays.toString(Arrays.stream(seconds).map(s -> Math.round(s * 1000) / 1000.0).toArray()),
                    m.tokensPerSecond(), m.peakRssBytes() / 1048576.0, m.peakAnonymousBytes() / 1048576.0);
            return m;
        }
    }

    private static long countParameters(FrozenTransformer model) {
        var s = model.spec();
        long h = s.hiddenSize();
        long attention = 2 * h * s.attentionWidth() + 2 * h * (long) s.numKvHeads() * s.headDim();
        long mlp = (s.gatedMlp() ? 3 : 2) * h * s.intermediateSize();
        return s.numLayers() * (attention + mlp) + (s.tiedEmbeddings() ? 1 : 2) * h * s.vocabSize();
    }
}
