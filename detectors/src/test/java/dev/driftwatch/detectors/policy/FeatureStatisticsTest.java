package dev.driftwatch.detectors.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.detectors.DriftTest;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeatureStatisticsTest {

    @Test
    void shouldHoldEffectSignificanceAndUndefinedResults() {
        TestResult psi = TestResult.effect(DriftTest.PSI, 0.12);
        TestResult ks = TestResult.significance(DriftTest.KS, 0.08, 0.003);
        TestResult w = TestResult.undefined(DriftTest.WASSERSTEIN, "reference std is 0");
        assertEquals(0.12, psi.statistic().getAsDouble(), 0.0);
        assertTrue(psi.pValue().isEmpty());
        assertEquals(0.003, ks.pValue().getAsDouble(), 0.0);
        assertFalse(w.isDefined());
        assertTrue(w.statistic().isEmpty());
        assertEquals("reference std is 0", w.undefinedReason().get());

        FeatureStatistics f = FeatureStatistics.of("age", w, ks, psi);
        assertEquals(List.of(DriftTest.PSI, DriftTest.KS, DriftTest.WASSERSTEIN), List.copyOf(f.results().keySet()));
        assertEquals(ks, f.definedSignificanceResult().get());
    }

    @Test
    void shouldTreatUndefinedSignificanceTestAsAbsent() {
        FeatureStatistics f = FeatureStatistics.of("country",
                TestResult.undefined(DriftTest.CHI_SQUARE, "empty window"));
        assertTrue(f.definedSignificanceResult().isEmpty());
    }

    @Test
    void shouldRejectMismatchedKindsAndBadValuesNamingThem() {
        assertThrows(IllegalArgumentException.class, () -> TestResult.effect(DriftTest.KS, 0.1));
        assertThrows(IllegalArgumentException.class, () -> TestResult.significance(DriftTest.PSI, 0.1, 0.5));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> TestResult.effect(DriftTest.PSI, -0.2));
        assertTrue(negative.getMessage().contains("-0.2"), negative.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> TestResult.effect(DriftTest.JS, Double.NaN));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> TestResult.significance(DriftTest.KS, 0.1, 1.01));
        assertTrue(p.getMessage().contains("1.01"), p.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TestResult.undefined(DriftTest.KL, " "));
    }

    @Test
    void shouldRejectDuplicateTestsAndTwoSignificanceTests() {
        IllegalArgumentException twice = assertThrows(IllegalArgumentException.class,
                () -> FeatureStatistics.of("x", TestResult.effect(DriftTest.PSI, 0.1), TestResult.effect(DriftTest.PSI, 0.2)));
        assertTrue(twice.getMessage().contains("psi"), twice.getMessage());
        IllegalArgumentException both = assertThrows(IllegalArgumentException.class,
                () -> FeatureStatistics.of("x", TestResult.significance(DriftTest.KS, 0.1, 0.2),
                        TestResult.significance(DriftTest.CHI_SQUARE, 3.0, 0.2)));
        assertTrue(both.getMessage().contains("ks") && both.getMessage().contains("chisq"), both.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureStatistics.of(" ", List.of()));
    }
}
