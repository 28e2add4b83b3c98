package dev.driftwatch.streams.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * analyze's progress on stderr. When stderr is a terminal, a bar redrawn in place at most five times a
 * second: the share of the input file read, events, events per second and the time left, estimated from
 * the bytes read so far (the only measure of the whole that a streamed file gives before its end). At the
 * end, in any case, one line: events, windows, alerts, seconds and events per second.
 */
final class AnalyzeProgress {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final LongSupplier bytesRead;
    private final long size;
    private final long started = System.nanoTime();
    private long lastDrawn = started;
    private boolean drawn;

    AnalyzeProgress(PrintWriter err, boolean terminal, LongSupplier bytesRead, long size) {
        this.err = err;
        this.terminal = terminal;
        this.bytesRead = bytesRead;
        this.size = size;
    }

    /** Counts an event read; redraws the bar when it is time to (a terminal only). */
    void update(long events) {
        if (!terminal || (events & 1023) != 0) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDrawn >= REDRAW_NANOS) {
            lastDrawn = now;
            err.print("\r" + bar(events, bytesRead.getAsLong(), size, (now - started) / 1e9));
            err.flush();
            drawn = true;
        }
    }

    /** Ends the bar, if one was drawn, and writes the summary line. */
    void finish(long events, long windows, long alerts) {
        double seconds = (System.nanoTime() - started) / 1e9;
        if (drawn) {
            err.print("\r" + bar(events, size, size, seconds) + "\n");
        }
        err.println(summary(events, windows, alerts, seconds));
        err.flush();
    }

    /**
     * The bar: {@code [#########               ]  38.2%  3,820,000 events  310,402 events/s  ETA 0:20}.
     * The time left is {@code --:--} until some bytes have been read.
     */
    static String bar(long events, long bytesRead, long size, double seconds) {
        double f = size <= 0 ? 0 : Math.max(0, Math.min(1, (double) bytesRead / size));
        int full = (int) Math.round(f * WIDTH);
        String eta = bytesRead <= 0 || seconds <= 0 ? "--:--"
                : duration(seconds * (size - Math.min(bytesRead, size)) / bytesRead);
        return String.format(Locale.ROOT, "[%s%s] %5.1f%%  %,d events  %,.0f events/s  ETA %s",
                "#".repeat(full), " ".repeat(WIDTH - full), f * 100, events, rate(events, seconds), eta);
    }

    /** The final line: {@code analyze: 10,000,000 events, 500 windows, 4 alerts in 35.2 s (284,091 events/s)}. */
    static String summary(long events, long windows, long alerts, double seconds) {
        return String.format(Locale.ROOT, "analyze: %,d events, %,d windows, %,d alerts in %.1f s (%,.0f events/s)",
                events, windows, alerts, seconds, rate(events, seconds));
    }

    /** m:ss under an hour, else h:mm:ss. */
    static String duration(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }

    private static double rate(long events, double seconds) {
        return seconds <= 0 ? 0 : events / seconds;
    }
}
