package io.layerwise.models.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This process's memory as Linux counts it ({@code /proc/self/status}): peak RSS ({@code VmHWM},
 * which includes touched pages of memory-mapped weight files) and anonymous RSS (heap, native
 * allocations, activations, widened weights), sampled by a background thread for its peak. The peak
 * RSS can be reset between phases of a benchmark. Figures are -1 where {@code /proc} is missing.
 *
 * <pre>{@code
 * ProcessMemory.resetPeak();
 * try (ProcessMemory.AnonymousPeak anon = ProcessMemory.sampleAnonymous()) {
 *     run();
 *     long peakAnon = anon.peakBytes();
 * }
 * long peakRss = ProcessMemory.peakRssBytes();
 * }</pre>
 */
public final class ProcessMemory {
    private static final Path STATUS = Path.of("/proc/self/status");

    private ProcessMemory() {}

    /** {@code VmHWM}: the peak resident set since start or the last {@link #resetPeak}. */
    public static long peakRssBytes() {
        return field("VmHWM:");
    }

    public static long anonymousRssBytes() {
        return field("RssAnon:");
    }

    /** Resident pages of mapped files (weights read in place, libraries). */
    public static long fileRssBytes() {
        return field("RssFile:");
    }

    /** Resets {@code VmHWM} to the current RSS ({@code echo 5 > /proc/self/clear_refs}); false where not possible. */
    public static boolean resetPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            return false;
        }
    }

    /** Starts sampling anonymous RSS every 2 ms until closed. */
    public static AnonymousPeak sampleAnonymous() {
        return new AnonymousPeak();
    }

    /** The running maximum of anonymous RSS while open. */
    public static final class AnonymousPeak implements AutoCloseable {
        private final AtomicLong peak = new AtomicLong(anonymousRssBytes());
        private final Thread sampler;

        private AnonymousPeak() {
            sampler = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    peak.accumulateAndGet(anonymousRssBytes(), Math::max);
                    try {
                        Thread.sleep(2);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "anonymous-rss-sampler");
            sampler.setDaemon(true);
            sampler.start();
        }

        public long peakBytes() {
            return peak.accumulateAndGet(anonymousRssBytes(), Math::max);
        }

        @Override
        public void close() {
            sampler.interrupt();
            try {
                sampler.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static long field(String key) {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith(key)) {
                    return Long.parseLong(line.substring(key.length()).replace("kB", "").strip()) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
