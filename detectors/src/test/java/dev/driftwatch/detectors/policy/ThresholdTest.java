package dev.driftwatch.detectors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.detectors.DriftTests;
import org.junit.jupiter.api.Test;

class ThresholdTest {

    private final Threshold psi = Threshold.of(DriftTests.PSI, 0.1, 0.25);

    @Test
    void shouldClassifyAtTheBoundariesInclusively() {
        assertEquals(Severity.NONE, psi.classify(0.0));
        assertEquals(Severity.NONE, psi.classify(Math.nextDown(0.1)));
        assertEquals(Severity.WARNING, psi.classify(0.1));
        assertEquals(Severity.WARNING, psi.classify(Math.nextDown(0.25)));
        assertEquals(Severity.CRITICAL, psi.classify(0.25));
        assertEquals(Severity.CRITICAL, psi.classify(7.0));
        assertEquals(Severity.CRITICAL, psi.classify(Double.POSITIVE_INFINITY));
    }

    @Test
    void shouldTreatNegativeStatisticAsBelowWarning() {
        assertEquals(Severity.NONE, psi.classify(-1e-12));
    }

    @Test
    void shouldMakeEveryCrossingCriticalWhenThresholdsAreEqual() {
        Threshold js = Threshold.of(DriftTests.JS, 0.2, 0.2);
        assertEquals(Severity.NONE, js.classify(0.19));
        assertEquals(Severity.CRITICAL, js.classify(0.2));
    }

    @Test
    void shouldRejectNaNStatistic() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> psi.classify(Double.NaN));
        assertTrue(e.getMessage().contains("NaN"), e.getMessage());
    }

    @Test
    void shouldRejectCriticalBelowWarningNamingBothValues() {
        IllegalPolicyException e = assertThrows(IllegalPolicyException.class,
                () -> Threshold.of(DriftTests.PSI, 0.3, 0.2));
        assertTrue(e.getMessage().contains("0.2") && e.getMessage().contains("0.3"), e.getMessage());
        assertTrue(e.getMessage().contains("critical >= warning"), e.getMessage());
    }

    @Test
    void shouldRejectNegativeOrNonFiniteValuesNamingThem() {
        IllegalPolicyException negative = assertThrows(IllegalPolicyException.class,
                () -> Threshold.of(DriftTests.KL, -0.5, 0.25));
        assertTrue(negative.getMessage().contains("-0.5"), negative.getMessage());
        IllegalPolicyException nan = assertThrows(IllegalPolicyException.class,
                () -> Threshold.of(DriftTests.KL, 0.1, Double.NaN));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalPolicyException infinite = assertThrows(IllegalPolicyException.class,
                () -> Threshold.of(DriftTests.KL, 0.1, Double.POSITIVE_INFINITY));
        assertTrue(infinite.getMessage().contains("Infinity"), infinite.getMessage());
    }

    @Test
    void shouldRejectSignificanceTestsAndNull() {
        IllegalPolicyException ks = assertThrows(IllegalPolicyException.class,
                () -> Threshold.of(DriftTests.KS, 0.1, 0.2));
        assertTrue(ks.getMessage().contains("ks"), ks.getMessage());
        assertThrows(IllegalPolicyException.class, () -> Threshold.of(null, 0.1, 0.2));
    }

    @Test
    void shouldBeAnIllegalArgumentException() {
        assertThrows(IllegalArgumentException.class, () -> Threshold.of(DriftTests.PSI, 1.0, 0.5));
    }

    @Test
    void shouldCompareByValue() {
        assertEquals(psi, Threshold.of(DriftTests.PSI, 0.1, 0.25));
        assertEquals(psi.hashCode(), Threshold.of(DriftTests.PSI, 0.1, 0.25).hashCode());
    }
}
