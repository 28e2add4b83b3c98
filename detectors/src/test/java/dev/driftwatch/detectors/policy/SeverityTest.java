package dev.driftwatch.detectors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeverityTest {

    @Test
    void shouldOrderFromNoneToCritical() {
        assertTrue(Severity.CRITICAL.isAtLeast(Severity.WARNING));
        assertTrue(Severity.WARNING.isAtLeast(Severity.WARNING));
        assertTrue(Severity.NONE.isAtLeast(Severity.NONE));
        assertFalse(Severity.NONE.isAtLeast(Severity.WARNING));
        assertFalse(Severity.WARNING.isAtLeast(Severity.CRITICAL));
    }

    @Test
    void shouldPickTheMoreSevere() {
        assertEquals(Severity.CRITICAL, Severity.WARNING.max(Severity.CRITICAL));
        assertEquals(Severity.CRITICAL, Severity.CRITICAL.max(Severity.NONE));
        assertEquals(Severity.WARNING, Severity.NONE.max(Severity.WARNING));
    }

    @Test
    void shouldRejectNullComparison() {
        assertThrows(NullPointerException.class, () -> Severity.NONE.isAtLeast(null));
    }
}
