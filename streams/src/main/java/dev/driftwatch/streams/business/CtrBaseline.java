package dev.driftwatch.streams.business;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.internals.WindowBundle;

import java.util.List;
import java.util.Optional;

/**
 * The CTR a model version is compared with: impressions and clicks of a reference period. It travels
 * as an ordinary categorical {@link Baseline} of subject {@value #SUBJECT} on the baselines topic, with
 * the categories {@value #CLICK} (impressions that were clicked) and {@value #NO_CLICK}, so that it has
 * an id, a content hash and a provenance like every other baseline, and is published by
 * {@code driftwatch baseline --ctr-impressions N --ctr-clicks K}, by the demo, or captured from retained
 * windows by {@code ctl capture-baseline}.
 *
 * @param id          the baseline's id
 * @param source      where the reference came from (provenance source)
 * @param impressions impressions of the reference period, &ge; 1
 * @param clicks      clicked impressions of the reference period, in [0, impressions]
 */
public record CtrBaseline(String id, String source, long impressions, long clicks) {
    /** The subject of CTR baselines and alerts. */
    public static final String SUBJECT = "business.ctr";
    public static final String CLICK = "click";
    public static final String NO_CLICK = "no_click";

    public CtrBaseline {
        if (impressions < 1 || clicks < 0 || clicks > impressions) {
            throw new IllegalArgumentException("a CTR baseline needs impressions >= 1 and 0 <= clicks <= impressions,"
                    + " got " + clicks + " clicks of " + impressions + " impressions");
        }
    }

    /** clicks / impressions, in [0, 1]. */
    public double ctr() {
        return (double) clicks / impressions;
    }

    /** The CTR baseline in a baseline record, or empty when the record is not one. */
    public static Optional<CtrBaseline> from(Baseline b) {
        return RateBaseline.from(b, OutcomeRate.CTR)
                .map(r -> new CtrBaseline(r.id(), r.source(), r.trials(), r.successes()));
    }

    /**
     * A baseline record of a model version's CTR.
     *
     * @param source     provenance, e.g. {@code file:ctr-2026-10.csv} or {@code windows:FROM..TO}
     * @param fromMillis start of the reference period, or null
     * @param toMillis   end (exclusive) of the reference period, or null
     * @param commandId  the control command that captured it, or null
     * @throws IllegalArgumentException when the counts are impossible
     */
    public static Baseline toAvro(String model, String version, long impressions, long clicks, String source,
                                  Long fromMillis, Long toMillis, String commandId) {
        new CtrBaseline("-", source, impressions, clicks); // checks the counts
        return RateBaseline.toAvro(OutcomeRate.CTR, model, version, impressions, clicks, source, fromMillis, toMillis,
                commandId);
    }

    /**
     * The CTR baseline of a set of windows (non-overlapping, of one model version): their impressions and
     * clicks added up; empty when they had no impression.
     */
    public static Optional<Baseline> fromWindows(String model, String version, List<WindowBundle> windows,
                                                 String source, Long fromMillis, Long toMillis, String commandId) {
        return RateBaseline.fromWindows(OutcomeRate.CTR, model, version, windows, source, fromMillis, toMillis,
                commandId);
    }

    /** The CTR baseline as the generic rate baseline. */
    public RateBaseline asRate() {
        return new RateBaseline(OutcomeRate.CTR, id, source, impressions, clicks);
    }
}
