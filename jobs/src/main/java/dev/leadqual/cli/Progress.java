package dev.leadqual.cli;

import java.io.PrintStream;
import java.util.function.LongConsumer;

/** A progress line on stderr for long runs: count, rate and (when known) a bar. */
public final class Progress implements LongConsumer, AutoCloseable {

    private final PrintStream err;
    private final String what;
    private final long total;
    private final long started = System.nanoTime();
    private long lastPrint;
    private long done;

    public Progress(PrintStream err, String what, long total) {
        this.err = err;
        this.what = what;
        this.total = total;
    }

    @Override
    public void accept(long count) {
        done = count;
        long now = System.nanoTime();
        if (now - lastPrint > 250_000_000L) {
            lastPrint = now;
            print();
        }
    }

    private void print() {
        double secs = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        String rate = String.format("%,.0f/s", done / secs);
        if (total > 0) {
            int width = 30;
            int filled = (int) Math.min(width, width * done / total);
            err.printf("\r%s [%s%s] %,d/%,d %s ", what, "#".repeat(filled), ".".repeat(width - filled), done, total, rate);
        } else {
            err.printf("\r%s %,d %s ", what, done, rate);
        }
        err.flush();
    }

    @Override
    public void close() {
        print();
        err.println();
    }
}
