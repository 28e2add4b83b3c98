package dev.driftwatch.detectors;

import org.apache.commons.math3.special.Gamma;

/**
 * Drift measures on binned counts: PSI, KL, JS distance and Pearson's chi-square. The two count
 * arrays are aligned bin by bin (numeric bins from {@link BinEdges}, or the union of categories).
 *
 * <p>Proportions are counts / total; a proportion of exactly 0 becomes {@link #EPSILON} so that the
 * logarithms stay finite. PSI uses those proportions as they are; KL, JS and chi-square first
 * renormalise them to sum to 1.
 */
public final class DriftStatistics {
    /** The value that replaces a zero proportion: 1e-4. */
    public static final double EPSILON = 1e-4;

    private DriftStatistics() {
    }

    /**
     * Proportions counts/total with zeros replaced by {@link #EPSILON} (not renormalised).
     *
     * @throws EmptySampleException when the counts sum to 0
     */
    public static double[] proportions(long[] counts, String side) {
        long total = 0;
        for (long c : counts) {
            if (c < 0) {
                throw new IllegalArgumentException(side + " has a negative count " + c);
            }
            total += c;
        }
        if (total == 0) {
            throw new EmptySampleException("the " + side + " sample has no non-missing values");
        }
        double[] p = new double[counts.length];
        for (int i = 0; i < counts.length; i++) {
            p[i] = counts[i] == 0 ? EPSILON : counts[i] / (double) total;
        }
        return p;
    }

    static double[] renormalised(double[] p) {
        double sum = 0;
        for (double v : p) {
            sum += v;
        }
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = p[i] / sum;
        }
        return out;
    }

    private static void checkAligned(long[] reference, long[] current) {
        if (reference.length != current.length) {
            throw new IllegalArgumentException("reference has " + reference.length + " bins but current has "
                    + current.length + "; counts must be aligned on the same bins");
        }
        if (reference.length == 0) {
            throw new IllegalArgumentException("no bins to compare");
        }
    }

    /**
     * Population stability index Σ (c − r)·ln(c / r). 0 for identical proportions; below 0.1 is
     * usually read as stable, 0.1–0.25 as moderate drift, above 0.25 as large drift.
     */
    public static double psi(long[] reference, long[] current) {
        checkAligned(reference, current);
        double[] r = proportions(reference, "reference");
        double[] c = proportions(current, "current");
        double sum = 0;
        for (int i = 0; i < r.length; i++) {
            sum += (c[i] - r[i]) * Math.log(c[i] / r[i]);
        }
        return sum;
    }

    /** Kullback–Leibler divergence KL(reference ‖ current) = Σ r̂·ln(r̂ / ĉ), natural log; ≥ 0. */
    public static double kl(long[] reference, long[] current) {
        checkAligned(reference, current);
        // Rounding can leave −1e-18 for near-identical distributions; KL is never negative.
        return Math.max(0.0, klDivergence(renormalised(proportions(reference, "reference")),
                renormalised(proportions(current, "current"))));
    }

    private static double klDivergence(double[] p, double[] q) {
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            if (p[i] > 0) {
                sum += p[i] * Math.log(p[i] / q[i]);
            }
        }
        return sum;
    }

    /**
     * Jensen–Shannon distance √(½KL(r̂‖m) + ½KL(ĉ‖m)), m = (r̂ + ĉ)/2, natural log: 0 for identical
     * distributions up to √ln 2 ≈ 0.8326 for disjoint ones.
     */
    public static double js(long[] reference, long[] current) {
        checkAligned(reference, current);
        double[] r = renormalised(proportions(reference, "reference"));
        double[] c = renormalised(proportions(current, "current"));
        double[] m = new double[r.length];
        for (int i = 0; i < r.length; i++) {
            m[i] = (r[i] + c[i]) / 2;
        }
        double divergence = 0.5 * klDivergence(r, m) + 0.5 * klDivergence(c, m);
        return Math.sqrt(Math.max(0.0, divergence));
    }

    /**
     * Pearson's chi-square of the current counts O against E = r̂·n_current, Σ (O − E)²/E, with
     * categories − 1 degrees of freedom and the upper-tail p-value. With a single category there is
     * no degree of freedom: the statistic is 0 and the p-value is undefined (reported as 1).
     */
    public static TestResult chiSquare(long[] reference, long[] current) {
        checkAligned(reference, current);
        double[] r = renormalised(proportions(reference, "reference"));
        long n = 0;
        for (long c : current) {
            n += c;
        }
        if (n == 0) {
            throw new EmptySampleException("the current sample has no non-missing values");
        }
        double stat = 0;
        for (int i = 0; i < r.length; i++) {
            double expected = r[i] * n;
            double d = current[i] - expected;
            stat += d * d / expected;
        }
        int df = r.length - 1;
        if (df == 0) {
            return new TestResult(DriftTests.CHI_SQUARE, stat, null, null);
        }
        return TestResult.of(DriftTests.CHI_SQUARE, stat, chiSquareSurvival(stat, df));
    }

    /** Upper tail P(X ≥ x) of a chi-square distribution with df degrees of freedom. */
    public static double chiSquareSurvival(double x, int df) {
        if (df < 1) {
            throw new IllegalArgumentException("degrees of freedom must be ≥ 1, got " + df);
        }
        if (x <= 0) {
            return 1.0;
        }
        return Gamma.regularizedGammaQ(df / 2.0, x / 2.0, 1e-15, 100_000);
    }
}
