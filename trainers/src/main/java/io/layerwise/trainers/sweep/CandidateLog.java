package io.layerwise.trainers.sweep;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A candidate's own progress log: every line its command prints goes to the sweep's log whole and
 * prefixed with the candidate ({@code [candidate 3] train: [2/7] layer 1 ...}), so the lines of
 * candidates running side by side can be told apart and never interleave mid-line.
 */
final class CandidateLog extends OutputStream {
    private final PrintStream sweepLog;
    private final String prefix;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    private CandidateLog(PrintStream sweepLog, String prefix) {
        this.sweepLog = sweepLog;
        this.prefix = prefix;
    }

    static PrintStream of(PrintStream sweepLog, int index) {
        return new PrintStream(new CandidateLog(sweepLog, "[candidate " + index + "] "), true, StandardCharsets.UTF_8);
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            flushLine();
        } else {
            line.write(b);
        }
    }

    @Override
    public synchronized void flush() {
        // lines are passed on whole, when they end
    }

    @Override
    public synchronized void close() {
        if (line.size() > 0) {
            flushLine();
        }
    }

    private void flushLine() {
        sweepLog.println(prefix + line.toString(StandardCharsets.UTF_8));
        line.reset();
    }
}
