package dev.driftwatch.detectors;

/**
 * What counts as a missing value. Missing values are counted apart and left out of every test.
 */
public final class Missing {
    private Missing() {
    }

    /** A numeric value is missing when it is NaN or ±infinity. */
    public static boolean isMissing(double v) {
        return Double.isNaN(v) || Double.isInfinite(v);
    }

    /** A categorical value is missing when it is null or empty after trimming. */
    public static boolean isMissing(String v) {
        return v == null || v.isBlank();
    }
}
