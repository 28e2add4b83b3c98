package dev.driftwatch.detectors;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KolmogorovSmirnovTest {

    @Test
    void shouldGiveZeroAndPValueOneForIdenticalSamples() {
        double[] x = {1, 2, 3, 4, 5};
        KolmogorovSmirnov.Result r = KolmogorovSmirnov.test(x, x.clone());
        assertEquals(0.0, r.statistic(), 0.0);
        assertEquals(1.0, r.pValue(), 0.0);
        assertEquals(KolmogorovSmirnov.Method.EXACT, r.method());
    }

    @Test
    void shouldGiveOneForDisjointSamplesWithTheHandCountedPValue() {
        // Of the C(6,3) = 20 equally likely orderings, 2 separate the samples completely.
        KolmogorovSmirnov.Result r = KolmogorovSmirnov.test(new double[] {1, 2, 3}, new double[] {4, 5, 6});
        assertEquals(1.0, r.statistic(), 0.0);
        assertEquals(0.1, r.pValue(), 1e-15);
        // Unequal sizes 2 and 3: 2 of C(5,2) = 10 orderings separate them.
        KolmogorovSmirnov.Result u = KolmogorovSmirnov.test(new double[] {1, 2}, new double[] {4, 5, 6});
        assertEquals(1.0, u.statistic(), 0.0);
        assertEquals(0.2, u.pValue(), 1e-15);
    }

    @Test
    void shouldTreatTiesAsTheEmpiricalDistributionDoes() {
        // F_a jumps to 1 at 1; F_b is 0.5 at 1 and 1 at 2: D = 0.5.
        double d = KolmogorovSmirnov.statistic(new double[] {1, 1}, new double[] {1, 2});
        assertEquals(0.5, d, 0.0);
    }

    @Test
    void shouldAgreeBetweenSquareAndBandMethodsOnEqualSizes() {
        for (int n = 5; n <= 60; n += 11) {
            for (int h = 1; h <= n; h += 3) {
                double square = KolmogorovSmirnov.outsideSquare(n, h);
                double band = KolmogorovSmirnov.outsideBand(n, n, n, h);
                assertEquals(square, band, 1e-12 * Math.max(1, square), "n=" + n + " h=" + h);
            }
        }
    }

    @Test
    void shouldMatchTheLimitingKolmogorovDistributionForLargeN() {
        // For large N, P(D_N >= x) tends to Q(sqrt(N) x) = 2 sum (-1)^(k-1) exp(-2 k^2 t^2).
        long n = 1_000_000;
        for (double t : new double[] {0.5, 0.8, 1.0, 1.36, 1.63, 2.0}) {
            double limit = 0;
            for (int k = 1; k < 100; k++) {
                limit += 2 * (k % 2 == 1 ? 1 : -1) * Math.exp(-2.0 * k * k * t * t);
            }
            double p = KolmogorovSmirnov.kolmogorovSurvival(n, t / Math.sqrt(n));
            assertEquals(limit, p, 2e-3 * Math.max(limit, 1e-3), "t=" + t);
        }
    }

    @Test
    void shouldGiveSurvivalBetweenZeroAndOneEverywhere() {
        for (long n : new long[] {1, 2, 10, 140, 141, 1000, 100_001}) {
            double previous = 1.0;
            for (double x = 0; x <= 1.0; x += 0.01) {
                double p = KolmogorovSmirnov.kolmogorovSurvival(n, x);
                assertTrue(p >= 0 && p <= 1, "n=" + n + " x=" + x + " p=" + p);
                assertTrue(p <= previous + 1e-9, "survival must not increase: n=" + n + " x=" + x);
                previous = p;
            }
        }
    }

    @Test
    void shouldHandOutTheExactPValueItComputedForTheSameSizesAndLatticePointOnly() {
        // Eight slots for far more triples, of few sizes and lattice points: every slot is shared and overwritten.
        KolmogorovSmirnov.ExactPValues table = new KolmogorovSmirnov.ExactPValues(3);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int k = 0; k < 50_000; k++) {
            int n = 1 + random.nextInt(6);
            int m = random.nextBoolean() ? n : 1 + random.nextInt(8);
            int g = (int) org.apache.commons.math3.util.ArithmeticUtils.gcd(n, m);
            long lcm = (long) n / g * m;
            long h = 1 + random.nextLong(lcm);
            double direct = n == m ? KolmogorovSmirnov.outsideSquare(n, (int) h) : KolmogorovSmirnov.outsideBand(n, m, g, h);
            assertEquals(Double.doubleToLongBits(direct), Double.doubleToLongBits(table.pValue(n, m, g, h)),
                    "n=" + n + " m=" + m + " h=" + h);
        }
        long computed = table.computed();
        assertTrue(computed < 50_000, "some triples came again: " + computed);
        // The same triple twice in a row is computed once.
        table.pValue(100, 5_000, 100, 517);
        long before = table.computed();
        double again = table.pValue(100, 5_000, 100, 517);
        assertEquals(before, table.computed());
        assertEquals(Double.doubleToLongBits(KolmogorovSmirnov.outsideBand(100, 5_000, 100, 517)),
                Double.doubleToLongBits(again));
    }

    @Test
    void shouldRejectEmptySamples() {
        assertThrows(EmptySampleException.class, () -> KolmogorovSmirnov.test(new double[0], new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> KolmogorovSmirnov.fromStatistic(1.5, 10, 10));
    }

    @Test
    void shouldUseTheAsymptoticMethodAboveTheExactLimit() {
        KolmogorovSmirnov.Result r = KolmogorovSmirnov.fromStatistic(0.02, 10_001, 500);
        assertEquals(KolmogorovSmirnov.Method.ASYMPTOTIC, r.method());
        assertEquals(0.02, r.statistic(), 0.0);
    }
}
