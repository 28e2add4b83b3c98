package dev.driftwatch.detectors;

import org.apache.commons.math3.special.Erf;

/**
 * The one-sided pooled two-proportion z-test of "the current rate is lower than the reference rate",
 * as used for a click-through rate against its baseline.
 *
 * <p>With x₁ successes of n₁ trials now (rate p₁ = x₁/n₁) and x₂ of n₂ in the reference (p₂ = x₂/n₂),
 * the pooled rate is p = (x₁ + x₂)/(n₁ + n₂), the statistic z = (p₁ − p₂) / √(p(1 − p)(1/n₁ + 1/n₂)),
 * and the p-value is Φ(z), the standard normal probability of a value at most z (scipy's
 * {@code norm.sf(-z)}). A rate that did not drop gives a p-value of 0.5 or more; a large drop on large
 * samples gives a p-value near 0. When p is 0 or 1 (no success, or nothing but successes, on both
 * sides) the rates are equal and there is no evidence of a drop: z = 0 and the p-value is 1.
 *
 * <p>The relative drop 1 − p₁/p₂ is the effect size: 0 when the rates are equal, 1 when the current
 * rate is 0, negative when the rate rose. Stateless.
 */
public final class TwoProportionTest {
    private TwoProportionTest() {
    }

    /**
     * The outcome of one test.
     *
     * @param currentRate   x₁/n₁, in [0, 1]
     * @param referenceRate x₂/n₂, in [0, 1]
     * @param relativeDrop  1 − p₁/p₂, in (−∞, 1]; NaN when the reference rate is 0
     * @param z             the pooled z statistic; 0 when the pooled rate is 0 or 1
     * @param pValue        one-sided p-value of "current below reference", in [0, 1]
     */
    public record Result(double currentRate, double referenceRate, double relativeDrop, double z, double pValue) {
    }

    /**
     * Tests whether the current rate is below the reference rate.
     *
     * @param currentSuccesses   x₁, in [0, n₁]
     * @param currentTrials      n₁ ≥ 1
     * @param referenceSuccesses x₂, in [0, n₂]
     * @param referenceTrials    n₂ ≥ 1
     * @return the rates, the relative drop, z and the one-sided p-value
     * @throws IllegalArgumentException when a count is negative, a trial count is 0, or successes exceed trials
     */
    public static Result lowerTail(long currentSuccesses, long currentTrials, long referenceSuccesses,
                                   long referenceTrials) {
        check("current", currentSuccesses, currentTrials);
        check("reference", referenceSuccesses, referenceTrials);
        double p1 = (double) currentSuccesses / currentTrials;
        double p2 = (double) referenceSuccesses / referenceTrials;
        double pooled = (double) (currentSuccesses + referenceSuccesses) / (currentTrials + referenceTrials);
        double drop = p2 > 0 ? 1 - p1 / p2 : Double.NaN;
        double variance = pooled * (1 - pooled) * (1.0 / currentTrials + 1.0 / referenceTrials);
        if (!(variance > 0)) {
            return new Result(p1, p2, drop, 0, 1);
        }
        double z = (p1 - p2) / Math.sqrt(variance);
        return new Result(p1, p2, drop, z, normalCdf(z));
    }

    /**
     * Tests whether the current rate is above the reference rate (e.g. a missing share that rose): the same
     * pooled z as {@link #lowerTail}, with the p-value of the upper tail, 1 − Φ(z).
     *
     * @param currentSuccesses   x₁, in [0, n₁]
     * @param currentTrials      n₁ ≥ 1
     * @param referenceSuccesses x₂, in [0, n₂]
     * @param referenceTrials    n₂ ≥ 1
     * @return the rates, the relative drop (negative for a rise), z and the one-sided p-value of "current above
     *     reference" (1 when the pooled rate is 0 or 1)
     * @throws IllegalArgumentException when a count is negative, a trial count is 0, or successes exceed trials
     */
    public static Result upperTail(long currentSuccesses, long currentTrials, long referenceSuccesses,
                                   long referenceTrials) {
        Result lower = lowerTail(currentSuccesses, currentTrials, referenceSuccesses, referenceTrials);
        boolean degenerate = lower.z() == 0 && lower.pValue() == 1; // the pooled rate is 0 or 1: no evidence
        return new Result(lower.currentRate(), lower.referenceRate(), lower.relativeDrop(), lower.z(),
                degenerate ? 1 : normalCdf(-lower.z()));
    }

    /** Φ(z) through the complementary error function, accurate in the far lower tail. */
    static double normalCdf(double z) {
        return 0.5 * Erf.erfc(-z / Math.sqrt(2));
    }

    private static void check(String side, long successes, long trials) {
        if (trials < 1 || successes < 0 || successes > trials) {
            throw new IllegalArgumentException("the " + side + " side has " + successes + " successes of " + trials
                    + " trials; expected trials >= 1 and 0 <= successes <= trials");
        }
    }
}
