package io.layerwise.datasets.extract;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Shows progress the way the output is read: on a terminal, one bar redrawn in place with the rate and
 * the time left; elsewhere (CI logs, files), a plain line every {@code logEvery} and at the end, so a log
 * shows the job is alive without filling with redraws. Rates count only this run's work, so a resumed job
 * estimates from what it does, not from shards an earlier run committed.
 *
 * <pre>{@code
 * ExtractionProgress progress = new ProgressMeter(System.err, System.console() != null, Duration.ofSeconds(10));
 * }</pre>
 */
public final class ProgressMeter implements ExtractionProgress {
    private static final int BAR_WIDTH = 28;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private final long logEveryNanos;
    private final LongSupplier clock;
    private long total;
    private long done;
    private long doneAtStart;
    private long tokens;
    private long startNanos;
    private long lastShownNanos;

    public ProgressMeter(PrintStream out, boolean terminal, Duration logEvery) {
        this(out, terminal, logEvery, System::nanoTime);
    }

    ProgressMeter(PrintStream out, boolean terminal, Duration logEvery, LongSupplier clock) {
        this.out = out;
        this.terminal = terminal;
        this.logEveryNanos = logEvery.toNanos();
        this.clock = clock;
    }

    @Override
    public void start(long totalExamples, long alreadyDone) {
        total = totalExamples;
        done = alreadyDone;
        doneAtStart = alreadyDone;
        startNanos = clock.getAsLong();
        lastShownNanos = startNanos;
        if (!terminal) {
            out.printf("extract: %,d examples to go of %,d%s%n", total - done, total,
                    done > 0 ? String.format(" (%,d already stored)", done) : "");
        }
    }

    @Override
    public void advance(int examples, long batchTokens) {
        done += examples;
        tokens += batchTokens;
        long now = clock.getAsLong();
        if (now - lastShownNanos >= (terminal ? REDRAW_NANOS : logEveryNanos)) {
            lastShownNanos = now;
            show(now);
        }
    }

    @Override
    public void finish() {
        show(clock.getAsLong());
        if (terminal) {
            out.println();
        }
    }

    private void show(long now) {
        double seconds = Math.max(1e-9, (now - startNanos) / 1e9);
        double rate = (done - doneAtStart) / seconds;
        double tokenRate = tokens / seconds;
        String eta = rate > 0 ? clockTime((total - done) / rate) : "--:--";
        int percent = total == 0 ? 100 : (int) (100 * done / total);
        if (terminal) {
            int filled = (int) (BAR_WIDTH * done / Math.max(1, total));
            out.printf("\r%3d%% [%s%s] %,d/%,d examples  %.1f ex/s  %,.0f tok/s  ETA %s ", percent,
                    "#".repeat(filled), ".".repeat(BAR_WIDTH - filled), done, total, rate, tokenRate, eta);
        } else {
            out.printf("extract: %,d/%,d examples (%d%%), %.1f examples/s, %,.0f tokens/s, elapsed %s, ETA %s%n",
                    done, total, percent, rate, tokenRate, clockTime(seconds), eta);
        }
        out.flush();
    }

    /** {@code m:ss} or {@code h:mm:ss}. */
    static String clockTime(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }
}
