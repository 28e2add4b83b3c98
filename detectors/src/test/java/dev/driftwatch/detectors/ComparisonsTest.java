package dev.driftwatch.detectors;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparisonsTest {

    @Test
    void shouldCountMissingValuesApartAndLeaveThemOutOfTheTests() {
        double[] ref = {1, 2, Double.NaN, 3, Double.POSITIVE_INFINITY, 4};
        double[] cur = {1, 2, 3, 4, Double.NEGATIVE_INFINITY};
        ColumnComparison c = Comparisons.numeric(ref, cur, 2);
        assertEquals(4, c.referenceCount());
        assertEquals(2, c.referenceMissing());
        assertEquals(4, c.currentCount());
        assertEquals(1, c.currentMissing());
        assertEquals(0.0, c.test(DriftTests.PSI).statistic(), 1e-15);
        assertEquals(0.0, c.test(DriftTests.KS).statistic(), 0.0);
    }

    @Test
    void shouldExplainWhyEveryTestIsUndefinedWhenASideIsAllMissing() {
        ColumnComparison c = Comparisons.numeric(new double[] {1, 2}, new double[] {Double.NaN}, 10);
        assertEquals(0, c.currentCount());
        for (TestResult r : c.tests().values()) {
            assertFalse(r.isDefined());
            assertTrue(r.undefinedReason().contains("current"), r.undefinedReason());
        }
        ColumnComparison empty = Comparisons.categorical(new String[0], new String[] {"a"});
        assertTrue(empty.test(DriftTests.CHI_SQUARE).undefinedReason().contains("reference"));
    }

    @Test
    void shouldLeaveWassersteinUndefinedForAConstantReference() {
        ColumnComparison c = Comparisons.numeric(new double[] {5, 5, 5}, new double[] {5, 6}, 10);
        TestResult w = c.test(DriftTests.WASSERSTEIN);
        assertNull(w.statistic());
        assertTrue(w.undefinedReason().contains("standard deviation is 0"));
        assertTrue(c.test(DriftTests.PSI).isDefined());
    }

    @Test
    void shouldHandleCategoriesPresentOnOneSideOnly() {
        ColumnComparison c = Comparisons.categorical(new String[] {"a", "a", "b", ""}, new String[] {"a", "c"});
        assertEquals(1, c.referenceMissing());
        assertEquals(3, c.referenceCount());
        // union {a, b, c}: r = (2/3, 1/3, eps), cur = (1/2, eps, 1/2)
        double eps = DriftStatistics.EPSILON;
        double expected = (0.5 - 2.0 / 3) * Math.log(0.5 / (2.0 / 3)) + (eps - 1.0 / 3) * Math.log(eps / (1.0 / 3))
                + (0.5 - eps) * Math.log(0.5 / eps);
        assertEquals(expected, c.test(DriftTests.PSI).statistic(), 1e-12);
        assertTrue(c.test(DriftTests.CHI_SQUARE).pValue() < 1e-3);
    }

    @Test
    void shouldGrowEveryEffectSizeWithTheShift() {
        Random random = new Random(42);
        double[] ref = new double[5000];
        for (int i = 0; i < ref.length; i++) {
            ref[i] = random.nextGaussian();
        }
        double previousPsi = -1;
        double previousW = -1;
        for (double shift : new double[] {0.0, 0.25, 0.5, 1.0, 2.0}) {
            double[] cur = new double[3000];
            for (int i = 0; i < cur.length; i++) {
                cur[i] = random.nextGaussian() + shift;
            }
            ColumnComparison c = Comparisons.numeric(ref, cur, 10);
            double psi = c.test(DriftTests.PSI).statistic();
            double w = c.test(DriftTests.WASSERSTEIN).statistic();
            assertTrue(psi > previousPsi && w > previousW, "shift " + shift);
            // W1 of a shifted normal is about the shift, in units of sigma = 1.
            if (shift >= 0.5) {
                assertEquals(shift, w, 0.1);
            }
            previousPsi = psi;
            previousW = w;
        }
    }
}
