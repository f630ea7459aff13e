package io.layerwise.datasets.extract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress is a bar redrawn in place on a terminal and a plain line per interval elsewhere. */
class ProgressMeterTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    @Test
    void logModePrintsOneLinePerIntervalWithRateAndEta() {
        ProgressMeter meter = new ProgressMeter(out, false, Duration.ofSeconds(10), nanos::get);
        meter.start(1000, 200);
        for (int i = 0; i < 8; i++) {
            nanos.addAndGet(Duration.ofSeconds(5).toNanos());
            meter.advance(50, 1000);
        }
        meter.finish();
        String log = bytes.toString(StandardCharsets.UTF_8);
        assertThat(log.lines()).hasSize(1 + 4 + 1);
        assertThat(log).startsWith("extract: 800 examples to go of 1,000 (200 already stored)")
                .contains("extract: 300/1,000 examples (30%), 10.0 examples/s, 200 tokens/s, elapsed 0:10, ETA 1:10")
                .doesNotContain("\r");
    }

    @Test
    void terminalModeRedrawsABarInPlace() {
        ProgressMeter meter = new ProgressMeter(out, true, Duration.ofSeconds(10), nanos::get);
        meter.start(100, 0);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        meter.advance(50, 500);
        meter.finish();
        String screen = bytes.toString(StandardCharsets.UTF_8);
        assertThat(screen).startsWith("\r 50% [##############..............] 50/100 examples  50.0 ex/s  500 tok/s  ETA 0:01")
                .endsWith(System.lineSeparator()).doesNotContain("extract:");
    }
}
