package dev.driftwatch.streams.slo;

import dev.driftwatch.streams.internals.WindowBundle;

/**
 * What an objective measures in one merged window: how many events were good out of how many judged.
 * The source of an SLO's error budget. A request-based indicator counts calls (e.g. good = calls without
 * an error); a window-based one counts the window itself as one event, good or bad (e.g. good when the
 * window's p95 latency is at most 800 ms).
 *
 * <p>This is the extension point for new objectives: an indicator reads whatever {@link
 * dev.driftwatch.streams.internals.WindowPart} of the window it needs ({@code window.part(NAME)}), so an
 * objective on another signal (e.g. a CTR at least 95 % of the baseline CTR, from the business part) is
 * one class implementing this interface plus one case in {@link ServiceLevelObjective#indicator}.
 */
public interface ServiceLevelIndicator {
    /**
     * The window's good and total events, or null when the window has nothing to judge (no calls, no
     * latency reported, no outcome yet); such a window spends no budget and earns none.
     */
    Counts measure(WindowBundle window);

    /** The indicator and its bound as configured, e.g. {@code latency.p95<=800}. */
    String text();

    /**
     * Good and total events of one window.
     *
     * @param good  events that met the objective, 0 &le; good &le; total
     * @param total events judged, &ge; 1
     */
    record Counts(long good, long total) {
        public Counts {
            if (total < 1 || good < 0 || good > total) {
                throw new IllegalArgumentException("need 0 <= good <= total and total >= 1, got good " + good
                        + " of " + total);
            }
        }

        /** One window judged as one event. */
        public static Counts window(boolean good) {
            return new Counts(good ? 1 : 0, 1);
        }
    }
}
