package dev.driftwatch.streams.slo;

import dev.driftwatch.detectors.slo.BurnRates;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.RateBaseline;
import dev.driftwatch.streams.internals.WindowBundle;

/**
 * What an objective measures in one merged window: how many events were good out of how many judged.
 * The source of an SLO's error budget. A request-based indicator counts calls (e.g. good = calls without
 * an error); a window-based one counts the window itself as one event, good or bad (e.g. good when the
 * window's p95 latency is at most 800 ms).
 *
 * <p>This is the extension point for new objectives: an indicator reads whatever {@link
 * dev.driftwatch.streams.internals.WindowPart} of the window it needs ({@code window.part(NAME)}), so an
 * objective on another signal (e.g. {@code ctr.ratio}, a CTR at least 95 % of the baseline CTR, from the
 * business part and the version's CTR baseline in the {@link Context}) is one class implementing this
 * interface plus one case in {@link ServiceLevelObjective#indicator}.
 */
public interface ServiceLevelIndicator {
    /**
     * The window's good and total events, or null when the window has nothing to judge (no calls, no
     * latency reported, too few impressions, no baseline yet); such a window spends no budget and earns none.
     *
     * @param context what the indicator may read besides the window
     */
    Counts measure(WindowBundle window, Context context);

    /**
     * What the indicator's events are: calls ({@link BurnRates.Counting#REQUESTS}, request-based) or
     * windows ({@link BurnRates.Counting#WINDOWS}, window-based); it decides how {@code slo.min.events} is
     * read.
     */
    BurnRates.Counting counting();

    /** The indicator and its bound as configured, e.g. {@code latency.p95<=800}. */
    String text();

    /** Whether it reads business outcomes (and so needs {@code business.enabled}). */
    default boolean needsBusiness() {
        return false;
    }

    /**
     * What an indicator may read besides the window.
     *
     * @param ctrBaseline        the CTR baseline of the window's model version, or null when it has none
     * @param minImpressions     fewest impressions for a window's CTR to be judged
     *                           ({@code business.ctr.min.impressions})
     * @param conversionBaseline the conversion-rate baseline of the window's model version, or null
     * @param minOutcomes        fewest trials (clicks, requests with feedback, requests with SUCCESS or FAILURE)
     *                           for a window's other outcome rates to be judged ({@code business.outcomes.min.count})
     */
    record Context(CtrBaseline ctrBaseline, long minImpressions, RateBaseline conversionBaseline, long minOutcomes) {
        /** A context of the CTR only. */
        public Context(CtrBaseline ctrBaseline, long minImpressions) {
            this(ctrBaseline, minImpressions, null, 1);
        }
    }

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
