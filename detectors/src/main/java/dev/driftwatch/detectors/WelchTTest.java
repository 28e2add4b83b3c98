package dev.driftwatch.detectors;

import org.apache.commons.math3.distribution.TDistribution;

/**
 * Welch's two-sample t-test of "the current mean is lower than the reference mean", from each sample's
 * count, mean and sample variance (so from bounded, mergeable state), as used for the value per request
 * against its baseline.
 *
 * <p>With n₁, m₁, s₁² now and n₂, m₂, s₂² in the reference (s² the sample variance, ddof = 1), the standard
 * error is se = √(s₁²/n₁ + s₂²/n₂), the statistic t = (m₁ − m₂) / se, the degrees of freedom are
 * Welch–Satterthwaite's df = se⁴ / ((s₁²/n₁)²/(n₁ − 1) + (s₂²/n₂)²/(n₂ − 1)), and the p-value is the Student t
 * probability of a value at most t with df degrees of freedom (scipy's
 * {@code ttest_ind_from_stats(m1, s1, n1, m2, s2, n2, equal_var=False, alternative='less')}). When both
 * variances are 0 the means are compared as they are: t = 0 and p = 1 when equal, t = −∞ and p = 0 when the
 * current mean is lower, t = +∞ and p = 1 when it is higher.
 *
 * <p>The relative drop 1 − m₁/m₂ is the effect size (at large samples every p-value is tiny): 0 when the means
 * are equal, 0.2 for a mean 20 % below the reference's, negative for a rise; NaN when the reference mean is 0.
 * Stateless.
 */
public final class WelchTTest {
    private WelchTTest() {
    }

    /**
     * The outcome of one test.
     *
     * @param currentMean   m₁
     * @param referenceMean m₂
     * @param relativeDrop  1 − m₁/m₂; NaN when m₂ is 0
     * @param t             Welch's statistic, ±∞ when both variances are 0 and the means differ
     * @param df            Welch–Satterthwaite degrees of freedom, NaN when both variances are 0
     * @param pValue        one-sided p-value of "current mean below reference mean", in [0, 1]
     */
    public record Result(double currentMean, double referenceMean, double relativeDrop, double t, double df,
                         double pValue) {
    }

    /**
     * Tests whether the current mean is below the reference mean.
     *
     * @param n1 current count, &ge; 2
     * @param m1 current mean
     * @param v1 current sample variance, &ge; 0
     * @param n2 reference count, &ge; 2
     * @param m2 reference mean
     * @param v2 reference sample variance, &ge; 0
     * @throws IllegalArgumentException when a count is below 2 or a variance negative or not finite
     */
    public static Result lowerTail(long n1, double m1, double v1, long n2, double m2, double v2) {
        check("current", n1, m1, v1);
        check("reference", n2, m2, v2);
        double drop = m2 != 0 ? 1 - m1 / m2 : Double.NaN;
        double a = v1 / n1;
        double b = v2 / n2;
        double se2 = a + b;
        if (!(se2 > 0)) {
            if (m1 == m2) {
                return new Result(m1, m2, drop, 0, Double.NaN, 1);
            }
            return m1 < m2 ? new Result(m1, m2, drop, Double.NEGATIVE_INFINITY, Double.NaN, 0)
                    : new Result(m1, m2, drop, Double.POSITIVE_INFINITY, Double.NaN, 1);
        }
        double t = (m1 - m2) / Math.sqrt(se2);
        double df = se2 * se2 / (a * a / (n1 - 1) + b * b / (n2 - 1));
        double p = new TDistribution(null, df).cumulativeProbability(t);
        return new Result(m1, m2, drop, t, df, p);
    }

    private static void check(String side, long n, double mean, double variance) {
        if (n < 2 || !Double.isFinite(mean) || !(variance >= 0) || Double.isInfinite(variance)) {
            throw new IllegalArgumentException("the " + side + " side has n = " + n + ", mean " + mean
                    + " and variance " + variance + "; expected n >= 2, a finite mean and a finite variance >= 0");
        }
    }
}
