package io.layerwise.models.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;

/**
 * The CPU a benchmark ran on, as every recorded figure must state it: model name, core count and
 * the matrix-math flags that change which precision is fast ({@code avx512_bf16}, {@code amx_*}).
 */
public record MachineInfo(String cpuModel, int cores, List<String> matrixFlags) {

    public static MachineInfo current() {
        String model = System.getProperty("os.arch");
        TreeSet<String> flags = new TreeSet<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name") && model.equals(System.getProperty("os.arch"))) {
                    model = line.substring(line.indexOf(':') + 1).strip();
                } else if (line.startsWith("flags")) {
                    for (String flag : line.substring(line.indexOf(':') + 1).strip().split(" ")) {
                        if (flag.equals("avx512_bf16") || flag.startsWith("amx") || flag.equals("avx512f")) {
                            flags.add(flag);
                        }
                    }
                }
            }
        } catch (IOException e) {
            // not Linux: report what the JVM knows
        }
        return new MachineInfo(model, Runtime.getRuntime().availableProcessors(), List.copyOf(flags));
    }

    @Override
    public String toString() {
        return cpuModel + ", " + cores + " cores, flags " + (matrixFlags.isEmpty() ? "[none of avx512f/avx512_bf16/amx]" : matrixFlags);
    }
}
