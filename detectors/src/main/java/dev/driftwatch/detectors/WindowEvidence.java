package dev.driftwatch.detectors;

import org.apache.commons.math3.special.Erf;

/**
 * The evidence of change that one window of one subject carries against its reference, in the form
 * the alert policy accumulates across windows. Immutable.
 *
 * <p>Two kinds of evidence:
 * <ul>
 *   <li>the <b>window p-value</b>: a two-sample omnibus p-value of this window alone against the
 *       reference (for a numeric subject the smallest of the KS, location and scale p-values times 3,
 *       Bonferroni; for a categorical one a two-sample chi-square with rare categories pooled). Both
 *       sample sizes count, so the reference's own sampling noise is accounted for;</li>
 *   <li>for numeric subjects, two <b>placement scores</b> that add up across windows: each current value
 *       x is placed in the reference by its mid-distribution P = F<sub>ref</sub>(x−) + ½·p<sub>ref</sub>(x)
 *       (in [0, 1]); the location score sums P − E[P], the scale score (P − ½)² − E[(P − ½)²], the
 *       expectations taken under the reference. Under no change a sum over M values has mean 0 and
 *       variance ≈ σ²·M·(1 + M/n), n the reference size: the M/n term is the reference's own noise,
 *       which is shared by every window compared with it. {@link #locationSigma()} and
 *       {@link #scaleSigma()} give σ per value; they are 0 when the reference is constant.</li>
 * </ul>
 *
 * @param count          non-missing values in the window
 * @param referenceCount non-missing values in the reference
 * @param windowPValue   the window's omnibus p-value in [0, 1]; 1 when no test was defined
 * @param locationSum    Σ (P − E[P]) over the window's values; 0 for categorical subjects
 * @param locationSigma  standard deviation of one value's location score under no change, ≥ 0
 * @param scaleSum       Σ ((P − ½)² − E[(P − ½)²]) over the window's values; 0 for categorical subjects
 * @param scaleSigma     standard deviation of one value's scale score under no change, ≥ 0
 */
public record WindowEvidence(long count, long referenceCount, double windowPValue, double locationSum,
                             double locationSigma, double scaleSum, double scaleSigma) {

    /** The largest evidence reported, in standard-normal units: a p-value below about 1e-350 is capped. */
    public static final double MAX_SCORE = 40.0;

    public WindowEvidence {
        if (count < 0 || referenceCount < 0) {
            throw new IllegalArgumentException("counts must be >= 0, got " + count + " and " + referenceCount);
        }
        if (!(windowPValue >= 0.0 && windowPValue <= 1.0)) {
            throw new IllegalArgumentException("window p-value must be in [0, 1], got " + windowPValue);
        }
        if (!(locationSigma >= 0 && scaleSigma >= 0) || !Double.isFinite(locationSum) || !Double.isFinite(scaleSum)) {
            throw new IllegalArgumentException("placement scores must be finite with sigma >= 0, got "
                    + locationSum + "/" + locationSigma + ", " + scaleSum + "/" + scaleSigma);
        }
    }

    /** Evidence of a window without placement scores (categorical subjects, or nothing to compare). */
    public static WindowEvidence ofPValue(long count, long referenceCount, double windowPValue) {
        return new WindowEvidence(count, referenceCount, windowPValue, 0, 0, 0, 0);
    }

    /**
     * The window p-value as a standard-normal score: Φ⁻¹(1 − p), floored at 0 and capped at
     * {@link #MAX_SCORE}. Under no change it is at least a standard normal truncated at 0 (p uniform);
     * 4.75 corresponds to p = 1e-6.
     *
     * @return a score in [0, 40]
     */
    public double windowScore() {
        return normalScore(windowPValue);
    }

    /**
     * Φ⁻¹(1 − p) floored at 0 and capped at {@link #MAX_SCORE}.
     *
     * @param p a p-value in [0, 1]
     * @return the score in [0, 40]
     */
    public static double normalScore(double p) {
        if (!(p < 0.5)) {
            return 0.0;
        }
        if (p < 1e-300) {
            return MAX_SCORE;
        }
        return Math.min(MAX_SCORE, Math.sqrt(2) * Erf.erfcInv(2 * p));
    }

    /**
     * The two-sided p-value of a standard-normal statistic z: 2·(1 − Φ(|z|)).
     *
     * @param z a finite value
     * @return the p-value in [0, 1]
     */
    public static double twoSidedPValue(double z) {
        return Math.min(1.0, Erf.erfc(Math.abs(z) / Math.sqrt(2)));
    }
}
