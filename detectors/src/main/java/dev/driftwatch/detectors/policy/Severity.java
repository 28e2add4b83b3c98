package dev.driftwatch.detectors.policy;

/**
 * How strongly a statistic crossed its thresholds, ordered from {@link #NONE} to
 * {@link #CRITICAL}: the declaration order is the order of severity.
 */
public enum Severity {

    /** Below the warning threshold, or not drifted. */
    NONE,

    /** At or above the warning threshold and below the critical one. */
    WARNING,

    /** At or above the critical threshold. */
    CRITICAL;

    /**
     * Whether this severity is the same as or more severe than {@code other}; for example
     * {@code CRITICAL.isAtLeast(WARNING)} and {@code WARNING.isAtLeast(WARNING)} are true,
     * {@code NONE.isAtLeast(WARNING)} is false.
     *
     * @param other the severity to compare with, not null
     * @return true when this severity is at least {@code other}
     * @throws NullPointerException if {@code other} is null
     */
    public boolean isAtLeast(Severity other) {
        if (other == null) {
            throw new NullPointerException("severity to compare with must not be null");
        }
        return compareTo(other) >= 0;
    }

    /**
     * The more severe of this severity and {@code other}.
     *
     * @param other the other severity, not null
     * @return this or {@code other}, whichever is more severe
     * @throws NullPointerException if {@code other} is null
     */
    public Severity max(Severity other) {
        return isAtLeast(other) ? this : other;
    }
}
