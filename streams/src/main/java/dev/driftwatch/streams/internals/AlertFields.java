package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.Severity;

import static dev.driftwatch.detectors.policy.Severity.CRITICAL;

/**
 * The alert schema's values for the policy's: the schema and the detectors each have a {@code Severity} and
 * a {@code DriftTest}, so the translation lives here, once, rather than in fully qualified names in every
 * signal that builds alerts.
 */
public final class AlertFields {
    private AlertFields() {
    }

    /** CRITICAL for CRITICAL, else WARNING (an alert is never of severity NONE). */
    public static Severity severity(dev.driftwatch.detectors.policy.Severity severity) {
        return severity == CRITICAL ? Severity.CRITICAL : Severity.WARNING;
    }

    /** The schema's test of the same name, or UNKNOWN for no test. */
    public static DriftTest testOrUnknown(dev.driftwatch.detectors.DriftTest test) {
        return test == null ? DriftTest.UNKNOWN : DriftTest.valueOf(test.name());
    }

    /** The schema's test of the same name, or RATE for no test (an alert on a rate, not a distribution). */
    public static DriftTest testOrRate(dev.driftwatch.detectors.DriftTest test) {
        return test == null ? DriftTest.RATE : DriftTest.valueOf(test.name());
    }
}
