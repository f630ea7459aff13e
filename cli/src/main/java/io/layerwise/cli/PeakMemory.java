package io.layerwise.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The peak resident set size of this process, as Linux records it ({@code VmHWM} in {@code /proc/self/status}). */
final class PeakMemory {
    private PeakMemory() {}

    /** Peak RSS in bytes, or -1 where {@code /proc} does not tell (not Linux). */
    static long residentSetHighWaterMark() {
        return fromStatus(Path.of("/proc/self/status"));
    }

    /** Peak RSS in bytes read from a {@code /proc/<pid>/status} file, or -1. */
    static long fromStatus(Path status) {
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String kib = line.substring("VmHWM:".length()).replace("kB", "").strip();
                    return Long.parseLong(kib) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux, or a format this code does not know: the caller reports "unknown"
        }
        return -1;
    }
}
