package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.policy.PersistenceState;
import dev.driftwatch.detectors.policy.Severity;

import java.util.Arrays;

/**
 * The alert state of one subject: its m-of-n history and, while firing, the test and severity that
 * fired (so that RESOLVED can name them).
 */
record SubjectAlertState(PersistenceState persistence, DriftTest firingTest, Severity firingSeverity) {
    static final SubjectAlertState INITIAL = new SubjectAlertState(PersistenceState.initial(), null, Severity.NONE);

    byte[] toBytes() {
        byte[] p = persistence.toBytes();
        byte[] out = Arrays.copyOf(p, p.length + 2);
        out[p.length] = (byte) (firingTest == null ? -1 : firingTest.ordinal());
        out[p.length + 1] = (byte) firingSeverity.ordinal();
        return out;
    }

    static SubjectAlertState fromBytes(byte[] bytes) {
        if (bytes == null) {
            return INITIAL;
        }
        PersistenceState p = PersistenceState.fromBytes(Arrays.copyOf(bytes, bytes.length - 2));
        int test = bytes[bytes.length - 2];
        return new SubjectAlertState(p, test < 0 ? null : DriftTest.values()[test], Severity.values()[bytes[bytes.length - 1]]);
    }
}
