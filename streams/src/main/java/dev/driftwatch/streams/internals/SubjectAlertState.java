package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.policy.PersistenceState;
import dev.driftwatch.detectors.policy.Severity;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The alert state of one subject: its m-of-n history and, while firing, the test and severity that
 * fired (so that RESOLVED can name them) and, for a subject that compares several outputs (a ROLE
 * alert), the output whose test fired (null otherwise).
 *
 * <p>Stored as the persistence state, one byte of test, one of severity, then the output's UTF-8 bytes
 * when there is one; a state stored without an output reads back with a null output.
 */
record SubjectAlertState(PersistenceState persistence, DriftTest firingTest, Severity firingSeverity,
                         String firingOutput) {
    static final SubjectAlertState INITIAL = new SubjectAlertState(PersistenceState.initial(), null, Severity.NONE);

    SubjectAlertState(PersistenceState persistence, DriftTest firingTest, Severity firingSeverity) {
        this(persistence, firingTest, firingSeverity, null);
    }

    byte[] toBytes() {
        byte[] p = persistence.toBytes();
        byte[] output = firingOutput == null ? new byte[0] : firingOutput.getBytes(StandardCharsets.UTF_8);
        byte[] out = Arrays.copyOf(p, p.length + 2 + output.length);
        out[p.length] = (byte) (firingTest == null ? -1 : firingTest.ordinal());
        out[p.length + 1] = (byte) firingSeverity.ordinal();
        System.arraycopy(output, 0, out, p.length + 2, output.length);
        return out;
    }

    static SubjectAlertState fromBytes(byte[] bytes) {
        if (bytes == null) {
            return INITIAL;
        }
        int n = PersistenceState.SERIALIZED_SIZE;
        PersistenceState p = PersistenceState.fromBytes(Arrays.copyOf(bytes, n));
        int test = bytes[n];
        String output = bytes.length > n + 2
                ? new String(bytes, n + 2, bytes.length - n - 2, StandardCharsets.UTF_8) : null;
        return new SubjectAlertState(p, test < 0 ? null : DriftTest.values()[test], Severity.values()[bytes[n + 1]],
                output);
    }
}
