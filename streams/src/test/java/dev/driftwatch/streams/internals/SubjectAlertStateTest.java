package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.WindowEvidence;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.EvidenceState;
import dev.driftwatch.detectors.policy.FeatureStatistics;
import dev.driftwatch.detectors.policy.Judgement;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.PersistenceState;
import dev.driftwatch.detectors.policy.Severity;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubjectAlertStateTest {
    @Test
    void shouldKeepTheFiringOutputAndReadAStateStoredWithoutOne() {
        SubjectAlertState role = new SubjectAlertState(PersistenceState.initial(), DriftTests.PSI, Severity.WARNING,
                "output.label");
        assertEquals(role, SubjectAlertState.fromBytes(role.toBytes()));

        SubjectAlertState feature = new SubjectAlertState(PersistenceState.initial(), DriftTests.KS, Severity.CRITICAL);
        assertEquals(feature, SubjectAlertState.fromBytes(feature.toBytes()));
        // The layout of states stored before outputs and evidence were kept: persistence, test byte, severity byte.
        byte[] old = Arrays.copyOf(PersistenceState.initial().toBytes(), PersistenceState.SERIALIZED_SIZE + 2);
        old[PersistenceState.SERIALIZED_SIZE] = (byte) DriftTests.KS.ordinal();
        old[PersistenceState.SERIALIZED_SIZE + 1] = (byte) Severity.CRITICAL.ordinal();
        SubjectAlertState read = SubjectAlertState.fromBytes(old);
        assertEquals(DriftTests.KS, read.firingTest());
        assertEquals(Severity.CRITICAL, read.firingSeverity());
        assertNull(read.firingOutput());
        assertEquals(EvidenceState.initial(), read.evidence());
    }

    @Test
    void shouldKeepTheSequentialEvidenceStateWithTheOutput() {
        AlertPolicy policy = AlertPolicy.defaults();
        FeatureStatistics stats = FeatureStatistics.of("x", TestResult.of(DriftTests.PSI, 0.3));
        Judgement j = policy.judge(PersistenceState.initial(), EvidenceState.initial(), stats,
                new WindowEvidence(1000, 5000, 1e-9, 120.0, 0.29, -3.0, 0.07));
        assertFalse(j.state().windows().isEmpty(), "the window is kept for pooling with the next ones");
        SubjectAlertState state = new SubjectAlertState(j.persistence(), j.state(), DriftTests.PSI, Severity.CRITICAL,
                "output.score");
        SubjectAlertState read = SubjectAlertState.fromBytes(state.toBytes());
        assertEquals(state, read);
        assertEquals(j.state(), read.evidence());
    }

    @Test
    void shouldReadTheLayoutWrittenWhileTheEvidenceStateHadAFixedSize() {
        // Layout 2: the byte 2, persistence, a 61-byte evidence state of format 1 (exponentially weighted sums,
        // 2 quiet windows), test, severity, output, a 0 byte, the open alert's id.
        byte[] persistence = Persistence.of(1, 1).next(PersistenceState.initial(), Severity.WARNING).state().toBytes();
        ByteBuffer evidence = ByteBuffer.allocate(61).put((byte) 1).putLong(5000);
        for (int i = 0; i < 6; i++) {
            evidence.putDouble(1.5);
        }
        evidence.putInt(2);
        byte[] tail = "\u0000output.score\u0000al-7".getBytes(StandardCharsets.UTF_8);
        tail[0] = (byte) Severity.CRITICAL.ordinal();
        ByteBuffer old = ByteBuffer.allocate(1 + persistence.length + 61 + 1 + tail.length).put((byte) 2)
                .put(persistence).put(evidence.array()).put((byte) DriftTests.PSI.ordinal()).put(tail);
        SubjectAlertState read = SubjectAlertState.fromBytes(old.array());
        assertTrue(read.persistence().isFiring());
        assertEquals(DriftTests.PSI, read.firingTest());
        assertEquals(Severity.CRITICAL, read.firingSeverity());
        assertEquals("output.score", read.firingOutput());
        assertEquals("al-7", read.firingAlertId());
        assertEquals(2, read.evidence().quietWindows(), "the quiet windows survive the upgrade");
        assertTrue(read.evidence().windows().isEmpty(), "the old sums are dropped; pooling starts afresh");
        assertEquals(read, SubjectAlertState.fromBytes(read.toBytes()));
    }

    @Test
    void shouldKeepTheOpenAlertIdAfterTheOutputAndReadStatesStoredWithoutIt() {
        SubjectAlertState both = new SubjectAlertState(PersistenceState.initial(), EvidenceState.initial(),
                DriftTests.PSI, Severity.WARNING, "output.label", "al-0123456789abcdef0123");
        assertEquals(both, SubjectAlertState.fromBytes(both.toBytes()));
        SubjectAlertState idOnly = new SubjectAlertState(PersistenceState.initial(), EvidenceState.initial(),
                DriftTests.KS, Severity.CRITICAL, null, "al-42");
        assertEquals(idOnly, SubjectAlertState.fromBytes(idOnly.toBytes()));
        SubjectAlertState outputOnly = new SubjectAlertState(PersistenceState.initial(), DriftTests.JS,
                Severity.WARNING, "output.score");
        SubjectAlertState read = SubjectAlertState.fromBytes(outputOnly.toBytes());
        assertEquals("output.score", read.firingOutput());
        assertNull(read.firingAlertId(), "a state stored before alert ids were kept has none");
    }
}
