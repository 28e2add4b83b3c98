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
    double threshold();

    /** Trials of the window (impressions, clicks, requests with feedback, valued requests, ...). */
    long currentSampleSize();

    /** Trials of the baseline. */
    long referenceSampleSize();

    String baselineId();

    String baselineSource();

    /** What was compared, for the alert's summary, e.g. "conversion rate 0.0500 vs baseline 0.1000". */
    String describe();
}
