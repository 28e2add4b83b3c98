package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.TestResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.detectors.DriftTests;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureStatisticsTest {

    @Test
    void shouldHoldEffectSignificanceAndUndefinedResults() {
        TestResult psi = TestResult.of(DriftTests.PSI, 0.12);
        TestResult ks = TestResult.of(DriftTests.KS, 0.08, 0.003);
        TestResult w = TestResult.undefined(DriftTests.WASSERSTEIN, "reference std is 0");
        assertEquals(0.12, psi.statistic(), 0.0);
        assertNull(psi.pValue());
        assertEquals(0.003, ks.pValue(), 0.0);
        assertFalse(w.isDefined());
        assertNull(w.statistic());
        assertEquals("reference std is 0", w.undefinedReason());

        FeatureStatistics f = FeatureStatistics.of("age", w, ks, psi);
        assertEquals(List.of(DriftTests.PSI, DriftTests.KS, DriftTests.WASSERSTEIN), List.copyOf(f.results().keySet()));
        assertEquals(ks, f.definedSignificanceResult().get());
    }

    @Test
    void shouldTreatUndefinedSignificanceTestAsAbsent() {
        FeatureStatistics f = FeatureStatistics.of("country",
                TestResult.undefined(DriftTests.CHI_SQUARE, "empty window"));
        assertTrue(f.definedSignificanceResult().isEmpty());
    }

    @Test
    void shouldRejectMismatchedKindsAndBadValuesNamingThem() {
        assertThrows(IllegalArgumentException.class, () -> TestResult.of(DriftTests.KS, 0.1));
        assertThrows(IllegalArgumentException.class, () -> TestResult.of(DriftTests.PSI, 0.1, 0.5));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> TestResult.of(DriftTests.PSI, -0.2));
        assertTrue(negative.getMessage().contains("-0.2"), negative.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> TestResult.of(DriftTests.JS, Double.NaN));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> TestResult.of(DriftTests.KS, 0.1, 1.01));
        assertTrue(p.getMessage().contains("1.01"), p.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestResult.undefined(DriftTests.KL, " "));
    }

    @Test
    void shouldRejectDuplicateTestsAndTwoSignificanceTests() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> FeatureStatistics.of("x", TestResult.of(DriftTests.PSI, 0.1), TestResult.of(DriftTests.PSI, 0.2)));
        assertTrue(twice.getMessage().contains("psi"), twice.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> FeatureStatistics.of("x", TestResult.of(DriftTests.KS, 0.1, 0.2),
                        TestResult.of(DriftTests.CHI_SQUARE, 3.0, 0.2)));
        assertTrue(both.getMessage().contains("ks") && both.getMessage().contains("chisq"), both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureStatistics.of(" ", List.of()));
    }
}
