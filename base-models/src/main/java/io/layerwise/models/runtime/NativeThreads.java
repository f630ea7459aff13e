package io.layerwise.models.runtime;

/**
 * Thread counts for the native runtimes, set before DJL's engine starts. PyTorch and ND4J each start
 * a thread per core by default; in one JVM on a small machine that oversubscribes the cores
 * (PLATFORM.md). The count comes from the {@code layerwise.threads} system property, then the
 * {@code LAYERWISE_THREADS} environment variable, then the number of cores; an explicitly set
 * {@code ai.djl.pytorch.num_threads} wins over all of them.
 */
public final class NativeThreads {
    private NativeThreads() {}

    /** Configures DJL's PyTorch threads (and offline mode) unless already configured; returns the count. */
    public static synchronized int configure() {
        int threads = requested();
        System.setProperty("ai.djl.pytorch.num_threads",
                System.getProperty("ai.djl.pytorch.num_threads", Integer.toString(threads)));
        System.setProperty("ai.djl.pytorch.num_interop_threads",
                System.getProperty("ai.djl.pytorch.num_interop_threads", "1"));
        System.setProperty("ai.djl.offline", System.getProperty("ai.djl.offline", "true"));
        return Integer.parseInt(System.getProperty("ai.djl.pytorch.num_threads"));
    }

    /** The requested thread count (see the class description). */
    public static int requested() {
        String value = System.getProperty("layerwise.threads", System.getenv("LAYERWISE_THREADS"));
        if (value != null && !value.isBlank()) {
            try {
                int n = Integer.parseInt(value.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // fall through to the core count; the value is reported below
            }
            throw new IllegalArgumentException("layerwise.threads / LAYERWISE_THREADS must be a positive integer, got '"
                    + value + "'");
        }
        return Runtime.getRuntime().availableProcessors();
    }
}
