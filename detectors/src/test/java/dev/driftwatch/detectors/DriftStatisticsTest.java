package dev.driftwatch.detectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftStatisticsTest {

    @Test
    void shouldComputePsiOfTwoBinsByHand() {
        // r = (0.5, 0.5), c = (0.25, 0.75): (0.25-0.5) ln(0.5) + (0.75-0.5) ln(1.5)
        double expected = -0.25 * Math.log(0.5) + 0.25 * Math.log(1.5);
        assertEquals(expected, DriftStatistics.psi(new long[] {5, 5}, new long[] {1, 3}), 1e-15);
    }

    @Test
    void shouldGiveZeroForIdenticalProportions() {
        long[] a = {10, 20, 30};
        long[] b = {1, 2, 3};
        assertEquals(0.0, DriftStatistics.psi(a, b), 1e-15);
        assertEquals(0.0, DriftStatistics.kl(a, b), 1e-15);
        assertEquals(0.0, DriftStatistics.js(a, b), 1e-7);
        TestResult chi = DriftStatistics.chiSquare(a, b);
        assertEquals(0.0, chi.statistic(), 1e-12);
        assertEquals(1.0, chi.pValue(), 1e-12);
    }

    @Test
    void shouldReplaceZeroProportionsByEpsilonForDisjointBins() {
        // r = (1, eps), c = (eps, 1): PSI = 2 (1 - eps) ln(1/eps)
        double eps = DriftStatistics.EPSILON;
        double psi = DriftStatistics.psi(new long[] {7, 0}, new long[] {0, 3});
        assertEquals(2 * (1 - eps) * Math.log(1 / eps), psi, 1e-12);
        // JS distance approaches its maximum sqrt(ln 2) for disjoint distributions.
        double js = DriftStatistics.js(new long[] {7, 0}, new long[] {0, 3});
        assertTrue(js > 0.83 && js < Math.sqrt(Math.log(2)), "js=" + js);
    }

    @Test
    void shouldComputeChiSquareAgainstRenormalisedReference() {
        // r̂ = (0.5, 0.5), n = 10, O = (2, 8): (2-5)²/5 + (8-5)²/5 = 3.6, df 1
        TestResult chi = DriftStatistics.chiSquare(new long[] {50, 50}, new long[] {2, 8});
        assertEquals(3.6, chi.statistic(), 1e-12);
        // P(chi2_1 >= 3.6) = erfc(sqrt(1.8))
        assertEquals(org.apache.commons.math3.special.Erf.erfc(Math.sqrt(1.8)), chi.pValue(), 1e-12);
    }

    @Test
    void shouldLeaveChiSquarePValueUndefinedWithOneCategory() {
        TestResult chi = DriftStatistics.chiSquare(new long[] {5}, new long[] {9});
        assertEquals(0.0, chi.statistic(), 0.0);
        assertNull(chi.pValue());
    }

    @Test
    void shouldRejectMisalignedOrEmptyCounts() {
        assertThrows(IllegalArgumentException.class, () -> DriftStatistics.psi(new long[] {1, 2}, new long[] {1}));
        EmptySampleException e = assertThrows(EmptySampleException.class,
                () -> DriftStatistics.psi(new long[] {0, 0}, new long[] {1, 1}));
        assertTrue(e.getMessage().contains("reference"), e.getMessage());
    }
}
