package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.policy.PersistenceState;
import dev.driftwatch.detectors.policy.Severity;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class SubjectAlertStateTest {
    @Test
    void shouldKeepTheFiringOutputAndReadAStateStoredWithoutOne() {
        SubjectAlertState role = new SubjectAlertState(PersistenceState.initial(), DriftTest.PSI, Severity.WARNING,
                "output.label");
        assertEquals(role, SubjectAlertState.fromBytes(role.toBytes()));

        SubjectAlertState feature = new SubjectAlertState(PersistenceState.initial(), DriftTest.KS, Severity.CRITICAL);
        byte[] bytes = feature.toBytes();
        // The layout of states stored before outputs were kept: persistence, test byte, severity byte.
        byte[] old = Arrays.copyOf(PersistenceState.initial().toBytes(), PersistenceState.SERIALIZED_SIZE + 2);
        old[PersistenceState.SERIALIZED_SIZE] = (byte) DriftTest.KS.ordinal();
        old[PersistenceState.SERIALIZED_SIZE + 1] = (byte) Severity.CRITICAL.ordinal();
        assertArrayEquals(old, bytes);
        SubjectAlertState read = SubjectAlertState.fromBytes(old);
        assertEquals(DriftTest.KS, read.firingTest());
        assertEquals(Severity.CRITICAL, read.firingSeverity());
        assertNull(read.firingOutput());
    }

    @Test
    void shouldKeepTheOpenAlertIdAfterTheOutputAndReadStatesStoredWithoutIt() {
        SubjectAlertState both = new SubjectAlertState(PersistenceState.initial(), DriftTest.PSI, Severity.WARNING,
                "output.label", "al-0123456789abcdef0123");
        assertEquals(both, SubjectAlertState.fromBytes(both.toBytes()));
        SubjectAlertState idOnly = new SubjectAlertState(PersistenceState.initial(), DriftTest.KS, Severity.CRITICAL,
                null, "al-42");
        assertEquals(idOnly, SubjectAlertState.fromBytes(idOnly.toBytes()));
        SubjectAlertState outputOnly = new SubjectAlertState(PersistenceState.initial(), DriftTest.JS,
                Severity.WARNING, "output.score");
        SubjectAlertState read = SubjectAlertState.fromBytes(outputOnly.toBytes());
        assertEquals("output.score", read.firingOutput());
        assertNull(read.firingAlertId(), "a state stored before alert ids were kept has none");
    }
}
