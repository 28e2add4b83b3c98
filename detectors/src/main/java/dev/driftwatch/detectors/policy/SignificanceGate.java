package dev.driftwatch.detectors.policy;

/**
 * The outcome of a feature's significance gate: its Benjamini-Hochberg adjusted p-value compared
 * with the policy's significance level alpha.
 */
public enum SignificanceGate {

    /** The adjusted p-value is ≤ alpha: the gate lets a crossed effect size through. */
    SIGNIFICANT,

    /** The adjusted p-value is > alpha: the feature is not drifted, whatever its effect sizes. */
    NOT_SIGNIFICANT,

    /**
     * The feature has no significance test, or it is undefined: the effect sizes decide alone.
     */
    NOT_AVAILABLE;

    /**
     * Whether a crossed effect size may make the feature drifted.
     *
     * @return true for {@link #SIGNIFICANT} and {@link #NOT_AVAILABLE}
     */
    public boolean passes() {
        return this != NOT_SIGNIFICANT;
    }
}
