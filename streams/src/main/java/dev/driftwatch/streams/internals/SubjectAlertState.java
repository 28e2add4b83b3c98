package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.policy.EvidenceState;
import dev.driftwatch.detectors.policy.PersistenceState;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.AlertState;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The alert state of one subject: its m-of-n history, its sequential evidence state, and, while firing,
 * the test and severity that fired (so that RESOLVED can name them), for a subject that compares several
 * outputs (a ROLE alert) the output whose test fired (null otherwise), and the id of the open FIRING
 * alert (for {@code /status}).
 *
 * <p>Stored in one of three layouts, told apart by the first byte (the persistence state's format
 * version is 1):
 * <ul>
 *   <li>layout 1 (written before the evidence state existed, still read): the persistence state, one byte
 *       of test, one of severity, then the output's UTF-8 bytes when there is one;</li>
 *   <li>layout 2 (written while the evidence state had a fixed size, still read): the byte 2, the
 *       persistence state, the evidence state (61 bytes, its format version 1), one byte of test, one of
 *       severity, then the output's UTF-8 bytes when there is one, then a 0 byte and the open alert's id when
 *       there is one;</li>
 *   <li>layout 3: the byte 3, the persistence state, the evidence state's length (int) and bytes (it keeps the
 *       last windows, so its size varies), then as layout 2 from the test byte on.</li>
 * </ul>
 * A state read from layout 1 has the initial evidence state and no alert id; one read from layout 2 keeps
 * its quiet windows but not its old exponentially weighted sums (see {@link EvidenceState#fromBytes}).
 */
public record SubjectAlertState(PersistenceState persistence, EvidenceState evidence, DriftTest firingTest,
                         Severity firingSeverity, String firingOutput, String firingAlertId) {
    static final SubjectAlertState INITIAL = new SubjectAlertState(PersistenceState.initial(), null, Severity.NONE);
    private static final byte LAYOUT_2 = 2;
    private static final byte LAYOUT_3 = 3;
    /** The evidence state's length in layout 2. */
    private static final int LAYOUT_2_EVIDENCE_SIZE = 61;

    public SubjectAlertState(PersistenceState persistence, DriftTest firingTest, Severity firingSeverity) {
        this(persistence, EvidenceState.initial(), firingTest, firingSeverity, null, null);
    }

    public SubjectAlertState(PersistenceState persistence, DriftTest firingTest, Severity firingSeverity, String firingOutput) {
        this(persistence, EvidenceState.initial(), firingTest, firingSeverity, firingOutput, null);
    }

    public SubjectAlertState(PersistenceState persistence, EvidenceState evidence, DriftTest firingTest,
                      Severity firingSeverity, String firingOutput) {
        this(persistence, evidence, firingTest, firingSeverity, firingOutput, null);
    }

    /**
     * This state with the id of its open alert: the alert of this window when the step fired, the one
     * {@code previous} had while it goes on firing, none once resolved.
     *
     * @param window     the window's bundle, which the id is derived from
     * @param subject    the subject, as the alert id names it
     */
    public SubjectAlertState withOpenAlert(Transition transition, SubjectAlertState previous, WindowBundle window,
                                    String subject) {
        String id = switch (transition) {
            case FIRING -> WindowKeys.alertId(window, subject, AlertState.FIRING);
            case RESOLVED -> null;
            default -> persistence.isFiring() ? previous.firingAlertId() : null;
        };
        return new SubjectAlertState(persistence, evidence, firingTest, firingSeverity, firingOutput, id);
    }

    public byte[] toBytes() {
        byte[] p = persistence.toBytes();
        byte[] e = evidence.toBytes();
        byte[] output = firingOutput == null ? new byte[0] : firingOutput.getBytes(StandardCharsets.UTF_8);
        byte[] id = firingAlertId == null ? new byte[0] : firingAlertId.getBytes(StandardCharsets.UTF_8);
        int idLength = id.length == 0 ? 0 : 1 + id.length;
        byte[] out = new byte[1 + p.length + 4 + e.length + 2 + output.length + idLength];
        out[0] = LAYOUT_3;
        System.arraycopy(p, 0, out, 1, p.length);
        ByteBuffer.wrap(out, 1 + p.length, 4).putInt(e.length);
        System.arraycopy(e, 0, out, 1 + p.length + 4, e.length);
        int at = 1 + p.length + 4 + e.length;
        out[at] = (byte) (firingTest == null ? -1 : firingTest.ordinal());
        out[at + 1] = (byte) firingSeverity.ordinal();
        System.arraycopy(output, 0, out, at + 2, output.length);
        if (idLength > 0) {
            out[at + 2 + output.length] = 0;
            System.arraycopy(id, 0, out, at + 3 + output.length, id.length);
        }
        return out;
    }

    public static SubjectAlertState fromBytes(byte[] bytes) {
        if (bytes == null) {
            return INITIAL;
        }
        int n = PersistenceState.SERIALIZED_SIZE;
        int from = 0;
        EvidenceState evidence = EvidenceState.initial();
        if (bytes.length > 0 && bytes[0] == LAYOUT_2) {
            from = 1;
            evidence = EvidenceState.fromBytes(Arrays.copyOfRange(bytes, 1 + n, 1 + n + LAYOUT_2_EVIDENCE_SIZE));
            n += LAYOUT_2_EVIDENCE_SIZE;
        } else if (bytes.length > 0 && bytes[0] == LAYOUT_3) {
            from = 1;
            int length = ByteBuffer.wrap(bytes, 1 + n, 4).getInt();
            evidence = EvidenceState.fromBytes(Arrays.copyOfRange(bytes, 1 + n + 4, 1 + n + 4 + length));
            n += 4 + length;
        }
        PersistenceState p = PersistenceState.fromBytes(Arrays.copyOfRange(bytes, from, from + PersistenceState.SERIALIZED_SIZE));
        int at = from + n;
        int test = bytes[at];
        int end = at + 2;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        String output = end > at + 2 ? new String(bytes, at + 2, end - at - 2, StandardCharsets.UTF_8) : null;
        String id = end + 1 < bytes.length ? new String(bytes, end + 1, bytes.length - end - 1, StandardCharsets.UTF_8)
                : null;
        return new SubjectAlertState(p, evidence, test < 0 ? null : DriftTest.values()[test],
                Severity.values()[bytes[at + 1]], output, id);
    }
}
