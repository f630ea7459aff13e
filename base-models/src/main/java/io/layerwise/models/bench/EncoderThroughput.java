package io.layerwise.models.bench;

import io.layerwise.models.onnx.BundledEncoder;
import io.layerwise.models.onnx.OnnxEncoderReference;
import io.layerwise.models.runtime.ForwardResult;
import io.layerwise.models.runtime.FrozenTransformer;
import io.layerwise.models.runtime.ModelLoader;
import io.layerwise.models.runtime.NativeThreads;
import io.layerwise.models.runtime.PaddingSide;
import io.layerwise.models.runtime.TapKind;
import io.layerwise.models.runtime.Taps;
import io.layerwise.models.runtime.TokenBatch;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Tokens per second of a bundled encoder's forward pass with every hidden state tapped and copied to
 * Java arrays, against ONNX Runtime running the same ONNX file on the same batch with the same
 * hidden states exposed and copied, in one run with the same thread count. Runs alternate between
 * the two engines so drift in machine speed affects both; the median of each is reported, and the
 * ratio of medians is the figure of merit (>= 1.0 means Layerwise is at least as fast).
 *
 * @param model bundled encoder name
 * @param batchSize sequences per batch
 * @param tokens tokens per sequence (texts are cut to this length)
 * @param iterations timed runs per engine, after two warm-up runs each
 */
public record EncoderThroughput(String model, int batchSize, int tokens, int iterations) {

    /** What one benchmark run measured. */
    public record Result(MachineInfo machine, int threads, long tokensPerBatch, double layerwiseTokensPerSecond,
            double onnxRuntimeTokensPerSecond) {
        public double ratio() {
            return layerwiseTokensPerSecond / onnxRuntimeTokensPerSecond;
        }
    }

    public Result run(PrintStream log) {
        int threads = NativeThreads.configure();
        BundledEncoder encoder = BundledEncoder.byName(model)
                .orElseThrow(() -> new IllegalArgumentException("not a bundled encoder: " + model));
        Path onnx = encoder.materialize().resolve(BundledEncoder.MODEL_FILE);
        try (FrozenTransformer layerwise = ModelLoader.load(model);
             OnnxEncoderReference onnxRuntime = new OnnxEncoderReference(onnx, threads)) {
            TokenBatch batch = layerwise.tokenize(SampleSentences.passages(batchSize, tokens), tokens, PaddingSide.RIGHT);
            long[][] mask = EncoderParity.longMask(batch);
            int layers = layerwise.spec().numLayers();
            Runnable ours = () -> {
                try (ForwardResult r = layerwise.forward(batch, Taps.of(TapKind.RESIDUAL))) {
                    for (int i = 0; i <= layers; i++) {
                        r.residual(i).toFloatArray();
                    }
                }
            };
            Runnable theirs = () -> onnxRuntime.hiddenStates(batch.ids(), mask);
            log.printf("%s: batch %d x %d tokens (%d real), %d threads, %d hidden states tapped%n", model, batch.size(),
                    batch.width(), batch.realTokens(), threads, layers + 1);
            for (int i = 0; i < 2; i++) {
                ours.run();
                theirs.run();
            }
            double[] oursSeconds = new double[iterations];
            double[] theirsSeconds = new double[iterations];
            for (int i = 0; i < iterations; i++) {
                oursSeconds[i] = time(ours);
                theirsSeconds[i] = time(theirs);
                log.printf("  run %d: layerwise %.3f s, onnxruntime %.3f s%n", i + 1, oursSeconds[i], theirsSeconds[i]);
            }
            long realTokens = batch.realTokens();
            return new Result(MachineInfo.current(), threads, realTokens, realTokens / median(oursSeconds),
                    realTokens / median(theirsSeconds));
        }
    }

    private static double time(Runnable task) {
        long start = System.nanoTime();
        task.run();
        return (System.nanoTime() - start) / 1e9;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }
}
