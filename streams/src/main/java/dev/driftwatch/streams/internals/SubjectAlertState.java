package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.policy.PersistenceState;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.AlertState;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The alert state of one subject: its m-of-n history and, while firing, the test and severity that
 * fired (so that RESOLVED can name them), for a subject that compares several outputs (a ROLE alert)
 * the output whose test fired (null otherwise), and the id of the open FIRING alert (for {@code /status}).
 *
 * <p>Stored as the persistence state, one byte of test, one of severity, then the output's UTF-8 bytes
 * when there is one, then a 0 byte and the open alert's id when there is one. A state stored without an
 * output or an alert id reads back with nulls there.
 */
record SubjectAlertState(PersistenceState persistence, DriftTest firingTest, Severity firingSeverity,
                         String firingOutput, String firingAlertId) {
    static final SubjectAlertState INITIAL = new SubjectAlertState(PersistenceState.initial(), null, Severity.NONE);

    SubjectAlertState(PersistenceState persistence, DriftTest firingTest, Severity firingSeverity) {
        this(persistence, firingTest, firingSeverity, null);
    }

    SubjectAlertState(PersistenceState persistence, DriftTest firingTest, Severity firingSeverity,
                      String firingOutput) {
        this(persistence, firingTest, firingSeverity, firingOutput, null);
    }

    /**
     * This state with the id of its open alert: the alert of this window when the step fired, the one
     * {@code previous} had while it goes on firing, none once resolved.
     *
     * @param window     the window's bundle, which the id is derived from
     * @param subject    the subject, as the alert id names it
     */
    SubjectAlertState withOpenAlert(Transition transition, SubjectAlertState previous, WindowBundle window,
                                    String subject) {
        String id = switch (transition) {
            case FIRING -> WindowEvaluator.alertId(window, subject, AlertState.FIRING);
            case RESOLVED -> null;
            default -> persistence.isFiring() ? previous.firingAlertId() : null;
        };
        return new SubjectAlertState(persistence, firingTest, firingSeverity, firingOutput, id);
    }

    byte[] toBytes() {
        byte[] p = persistence.toBytes();
        byte[] output = firingOutput == null ? new byte[0] : firingOutput.getBytes(StandardCharsets.UTF_8);
        byte[] id = firingAlertId == null ? new byte[0] : firingAlertId.getBytes(StandardCharsets.UTF_8);
        int idLength = id.length == 0 ? 0 : 1 + id.length;
        byte[] out = Arrays.copyOf(p, p.length + 2 + output.length + idLength);
        out[p.length] = (byte) (firingTest == null ? -1 : firingTest.ordinal());
        out[p.length + 1] = (byte) firingSeverity.ordinal();
        System.arraycopy(output, 0, out, p.length + 2, output.length);
        if (idLength > 0) {
            out[p.length + 2 + output.length] = 0;
            System.arraycopy(id, 0, out, p.length + 3 + output.length, id.length);
        }
        return out;
    }

    static SubjectAlertState fromBytes(byte[] bytes) {
        if (bytes == null) {
            return INITIAL;
        }
        int n = PersistenceState.SERIALIZED_SIZE;
        PersistenceState p = PersistenceState.fromBytes(Arrays.copyOf(bytes, n));
        int test = bytes[n];
        int end = n + 2;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        String output = end > n + 2 ? new String(bytes, n + 2, end - n - 2, StandardCharsets.UTF_8) : null;
        String id = end + 1 < bytes.length ? new String(bytes, end + 1, bytes.length - end - 1, StandardCharsets.UTF_8)
                : null;
        return new SubjectAlertState(p, test < 0 ? null : DriftTest.values()[test], Severity.values()[bytes[n + 1]],
                output, id);
    }
}
