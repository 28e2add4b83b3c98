package dev.driftwatch.detectors;

import org.apache.commons.math3.special.Erf;

import java.util.Arrays;
import java.util.Objects;

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
 *   <li>for categorical subjects, the window's <b>group counts</b>: its counts on a fixed grouping of the
 *       reference's categories (the most frequent ones apart, the rest and unseen categories together,
 *       see {@code SummaryEvidence}), next to the reference's counts on the same groups, so that several
 *       windows' counts can be pooled and tested against the reference together.</li>
 * </ul>
 *
 * @param count          non-missing values in the window
 * @param referenceCount non-missing values in the reference
 * @param windowPValue   the window's omnibus p-value in [0, 1]; 1 when no test was defined
 * @param locationSum    Σ (P − E[P]) over the window's values; 0 for categorical subjects
 * @param locationSigma  standard deviation of one value's location score under no change, ≥ 0
 * @param scaleSum       Σ ((P − ½)² − E[(P − ½)²]) over the window's values; 0 for categorical subjects
 * @param scaleSigma     standard deviation of one value's scale score under no change, ≥ 0
 * @param groupCounts    categorical subjects: the window's counts by category group (summing to count);
 *                       empty for numeric subjects
 * @param referenceGroupCounts the reference's counts on the same groups (summing to referenceCount); empty
 *                       for numeric subjects
 */
public record WindowEvidence(long count, long referenceCount, double windowPValue, double locationSum,
                             double locationSigma, double scaleSum, double scaleSigma, long[] groupCounts,
                             long[] referenceGroupCounts) {

    /** No group counts (numeric subjects). */
    private static final long[] NO_GROUPS = new long[0];

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
        groupCounts = groupCounts == null ? NO_GROUPS : groupCounts.clone();
        referenceGroupCounts = referenceGroupCounts == null ? NO_GROUPS : referenceGroupCounts.clone();
        if (groupCounts.length != referenceGroupCounts.length) {
            throw new IllegalArgumentException("group counts of the window (" + groupCounts.length
                    + ") and of the reference (" + referenceGroupCounts.length + ") must line up");
        }
    }

    /** Evidence of a numeric window: p-value and placement scores, no group counts. */
    public WindowEvidence(long count, long referenceCount, double windowPValue, double locationSum,
                          double locationSigma, double scaleSum, double scaleSigma) {
        this(count, referenceCount, windowPValue, locationSum, locationSigma, scaleSum, scaleSigma, NO_GROUPS,
                NO_GROUPS);
    }

    /**
     * Evidence of a categorical window: its p-value and its counts on the reference's category groups.
     *
     * @param groupCounts          the window's counts by group
     * @param referenceGroupCounts the reference's counts by the same groups
     */
    public static WindowEvidence ofGroups(long count, long referenceCount, double windowPValue, long[] groupCounts,
                                          long[] referenceGroupCounts) {
        return new WindowEvidence(count, referenceCount, windowPValue, 0, 0, 0, 0, groupCounts, referenceGroupCounts);
    }

    /** The window's counts by category group (a copy); empty for numeric subjects. */
    @Override
    public long[] groupCounts() {
        return groupCounts.clone();
    }

    /** The reference's counts by category group (a copy); empty for numeric subjects. */
    @Override
    public long[] referenceGroupCounts() {
        return referenceGroupCounts.clone();
    }

    /** The number of category groups; 0 for numeric subjects. */
    public int groups() {
        return groupCounts.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WindowEvidence that && count == that.count && referenceCount == that.referenceCount
                && Double.compare(windowPValue, that.windowPValue) == 0
                && Double.compare(locationSum, that.locationSum) == 0
                && Double.compare(locationSigma, that.locationSigma) == 0
                && Double.compare(scaleSum, that.scaleSum) == 0 && Double.compare(scaleSigma, that.scaleSigma) == 0
                && Arrays.equals(groupCounts, that.groupCounts)
                && Arrays.equals(referenceGroupCounts, that.referenceGroupCounts);
    }

    @Override
    public int hashCode() {
        return Objects.hash(count, referenceCount, windowPValue, locationSum, locationSigma, scaleSum,
                scaleSigma, Arrays.hashCode(groupCounts), Arrays.hashCode(referenceGroupCounts));
    }

    @Override
    public String toString() {
        return "WindowEvidence{m=" + count + ", n=" + referenceCount + ", p=" + windowPValue + ", location="
                + locationSum + "/" + locationSigma + ", scale=" + scaleSum + "/" + scaleSigma + ", groups="
                + Arrays.toString(groupCounts) + "}";
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
