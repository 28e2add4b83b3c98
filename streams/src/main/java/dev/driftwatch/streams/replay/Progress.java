package dev.driftwatch.streams.replay;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * Progress on stderr: a bar redrawn in place when stderr is a terminal, otherwise one line every
 * {@code every} seconds; both with the count and the rate in events per second.
 */
public final class Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final boolean terminal;
    private final long everyNanos;
    private final DoubleSupplier fraction;
    private final long started = System.nanoTime();
    private long lastShown = started;
    private boolean drawn;

    /**
     * @param fraction the share done in [0, 1], or NaN when unknown
     */
    public Progress(PrintWriter err, boolean terminal, long everySeconds, DoubleSupplier fraction) {
        this.err = err;
        this.terminal = terminal;
        this.everyNanos = terminal ? 200_000_000L : everySeconds * 1_000_000_000L;
        this.fraction = fraction;
    }

    /** Shows the progress if it is time to. */
    public void update(long count) {
        long now = System.nanoTime();
        if (now - lastShown < everyNanos) {
            return;
        }
        lastShown = now;
        show(count, now);
    }

    /** Ends the bar (a line break after it when drawn in place). */
    public void finish(long count) {
        if (terminal) {
            show(count, System.nanoTime());
            err.print('\n');
            err.flush();
        }
    }

    /** Events per second since the start. */
    public double rate(long count) {
        double seconds = Math.max(1e-9, (System.nanoTime() - started) / 1e9);
        return count / seconds;
    }

    private void show(long count, long now) {
        double f = fraction.getAsDouble();
        String share = "";
        String bar = "";
        if (!Double.isNaN(f)) {
            f = Math.max(0, Math.min(1, f));
            int full = (int) Math.round(f * WIDTH);
            bar = "[" + "#".repeat(full) + " ".repeat(WIDTH - full) + "] ";
            share = String.format(Locale.ROOT, "%5.1f%% ", f * 100);
        }
        String line = String.format(Locale.ROOT, "%s%s%,d events  %,.0f events/s", bar, share, count, rate(count));
        if (terminal) {
            err.print("\r" + line);
            drawn = true;
        } else {
            err.println("replay: " + line);
        }
        err.flush();
    }

    boolean drawn() {
        return drawn;
    }
}
