package dev.driftwatch.streams.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * A command's progress on stderr, the same for every command that streams events (replay, analyze). When
 * stderr is a terminal, a bar redrawn in place at most five times a second: the share done, events, events
 * per second and the time left, estimated from the share done so far. At the end, in any case, one line:
 * {@code <command>: <events> events<details> in <seconds> s (<rate> events/s)}; nothing else is written when
 * stderr is not a terminal (a log gets one line, not a line every few seconds).
 *
 * <p>{@link #update} may be called for every event, from any one thread: it reads the clock once every 1,024
 * events at most.
 */
final class Progress {
    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 200_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final String command;
    private final DoubleSupplier fraction;
    private final long started = System.nanoTime();
    private long lastDrawn = started;
    private long lastCount;
    private boolean drawn;

    /**
     * @param command  the command's name, which starts the final line
     * @param fraction the share done in [0, 1], or NaN when unknown (no bar and no time left are shown)
     */
    Progress(PrintWriter err, boolean terminal, String command, DoubleSupplier fraction) {
        this.err = err;
        this.terminal = terminal;
        this.command = command;
        this.fraction = fraction;
    }

    /** Counts events done; redraws the bar when it is time to (a terminal only). */
    void update(long events) {
        if (!terminal || events - lastCount < 1024) {
            return;
        }
        lastCount = events;
        long now = System.nanoTime();
        if (now - lastDrawn >= REDRAW_NANOS) {
            lastDrawn = now;
            err.print("\r" + bar(events, fraction.getAsDouble(), (now - started) / 1e9));
            err.flush();
            drawn = true;
        }
    }

    /** Ends the bar, if one was drawn, and writes the final line. */
    void finish(long events) {
        finish(events, "");
    }

    /**
     * Ends the bar, if one was drawn, and writes the final line.
     *
     * @param details what follows the event count on the final line, e.g. {@code ", 500 windows, 4 alerts"}
     */
    void finish(long events, String details) {
        double seconds = seconds();
        if (drawn) {
            double f = fraction.getAsDouble();
            err.print("\r" + bar(events, Double.isNaN(f) ? Double.NaN : 1.0, seconds) + "\n");
        }
        err.println(summary(command, events, details, seconds));
        err.flush();
    }

    /** Events per second since the start. */
    double rate(long events) {
        return rate(events, seconds());
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /**
     * The bar: {@code [#########               ]  38.2%  3,820,000 events  310,402 events/s  ETA 0:20}; without a
     * share done, only the events and the rate. The time left is {@code --:--} until some share is done.
     */
    static String bar(long events, double fraction, double seconds) {
        if (Double.isNaN(fraction)) {
            return String.format(Locale.ROOT, "%,d events  %,.0f events/s", events, rate(events, seconds));
        }
        double f = Math.max(0, Math.min(1, fraction));
        int full = (int) Math.round(f * WIDTH);
        String eta = f <= 0 || seconds <= 0 ? "--:--" : duration(seconds * (1 - f) / f);
        return String.format(Locale.ROOT, "[%s%s] %5.1f%%  %,d events  %,.0f events/s  ETA %s",
                "#".repeat(full), " ".repeat(WIDTH - full), f * 100, events, rate(events, seconds), eta);
    }

    /** The final line: {@code analyze: 10,000,000 events, 500 windows, 4 alerts in 35.2 s (284,091 events/s)}. */
    static String summary(String command, long events, String details, double seconds) {
        return String.format(Locale.ROOT, "%s: %,d events%s in %.1f s (%,.0f events/s)", command, events, details,
                seconds, rate(events, seconds));
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
