package dev.driftwatch.streams.replay;

import java.util.concurrent.locks.LockSupport;

/** Holds a sender to at most {@code perSecond} events per second on average (0: no limit). */
public final class RatePacer {
    private final double perSecond;
    private final long started = System.nanoTime();

    public RatePacer(double perSecond) {
        if (perSecond < 0 || Double.isNaN(perSecond) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("--rate must be a finite number >= 0 (0: unlimited), got " + perSecond);
        }
        this.perSecond = perSecond;
    }

    /** Waits until the {@code n}-th event (1-based) is due. */
    public void await(long n) {
        if (perSecond == 0) {
            return;
        }
        long due = started + (long) ((n - 1) / perSecond * 1e9);
        for (long wait; (wait = due - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(wait);
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }
}
