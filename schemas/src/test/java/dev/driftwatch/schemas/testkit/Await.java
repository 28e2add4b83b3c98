package dev.driftwatch.schemas.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits on a condition, checked every few milliseconds, up to a deadline. */
public final class Await {
    private Await() {
    }

    /** Returns when {@code condition} holds; throws {@link AssertionError} saying {@code what} after {@code timeout}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMs = 10;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting for " + what);
            }
            try {
                Thread.sleep(pauseMs); // a poll interval, not a synchronisation: the condition decides
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
            pauseMs = Math.min(200, pauseMs * 2);
        }
    }
}
