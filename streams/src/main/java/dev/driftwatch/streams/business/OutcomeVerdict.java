package dev.driftwatch.streams.business;

import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.schemas.avro.DriftTest;

/**
 * One outcome of a window tested against its baseline ({@link RateCheck}, {@link MeanCheck}): what its alert
 * of subject {@link #subject()} says when it changes state.
 */
interface OutcomeVerdict {
    /** The subject of the alert, e.g. {@code business.conversion}. */
    String subject();

    /** Whether it was tested (baseline known, enough trials). */
    boolean tested();

    /** The verdict; NONE when not tested. */
    Severity severity();

    /** The test of the alert: RATE or MEAN. */
    DriftTest alertTest();

    /** The relative change in the bad direction (the alert's statistic); 0 when undefined. */
    double statistic();

    /** The one-sided p-value, or null when not tested. */
    Double pValue();

    /** The warning level of the relative change. */
    double warning();

    /** The warning level of the relative change (the alert's threshold). */
    default double threshold() {
        return warning();
    }

    /** Trials of the window (impressions, clicks, requests with feedback, valued requests, ...). */
    long currentSampleSize();

    /** The baseline the window was compared with, or null when there is none. */
    Reference reference();

    /** Trials of the baseline; 0 without one. */
    default long referenceSampleSize() {
        Reference r = reference();
        return r == null ? 0 : r.trials();
    }

    default String baselineId() {
        Reference r = reference();
        return r == null ? null : r.id();
    }

    default String baselineSource() {
        Reference r = reference();
        return r == null ? null : r.source();
    }

    /** What an outcome's alert says of its baseline: its id, provenance source and trials. */
    record Reference(String id, String source, long trials) {
    }

    /** What was compared, for the alert's summary, e.g. "conversion rate 0.0500 vs baseline 0.1000". */
    String describe();
}
