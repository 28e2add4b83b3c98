package dev.driftwatch.detectors;

import java.util.Objects;

/**
 * The outcome of one drift test: a statistic and, for significance tests, a p-value; or, when the
 * statistic is undefined for the data (for example Wasserstein against a constant reference), no
 * value and the reason why. Never NaN.
 *
 * @param test            which test
 * @param statistic       the statistic, or null when undefined
 * @param pValue          the p-value in [0, 1] for a significance test (null for a chi-square with one
 *                        category, which has no degree of freedom), otherwise null
 * @param undefinedReason why the statistic is undefined, or null when it is defined
 * @param method          how the p-value was computed (e.g. "exact" or "asymptotic" for KS), or null
 *                        when the test has one way only
 */
public record TestResult(DriftTest test, Double statistic, Double pValue, String undefinedReason, String method) {

    public TestResult {
        Objects.requireNonNull(test, "test");
        if (statistic == null && (undefinedReason == null || undefinedReason.isBlank())) {
            throw new IllegalArgumentException(test.id() + ": an undefined statistic needs a reason");
        }
        if (statistic != null && !(Double.isFinite(statistic) && statistic >= test.lowestStatistic())) {
            throw new IllegalArgumentException(test.id() + ": statistic must be finite and >= "
                    + test.lowestStatistic() + ", got " + statistic);
        }
        if (statistic != null && pValue == null && test.alwaysHasPValue()) {
            throw new IllegalArgumentException(test.id() + ": a " + test.id() + " statistic needs its p-value");
        }
        if (method != null && pValue == null) {
            throw new IllegalArgumentException(test.id() + ": a p-value method without a p-value");
        }
        if (pValue != null && !test.isSignificanceTest()) {
            throw new IllegalArgumentException(test.id() + " is an effect size and has no p-value, got " + pValue);
        }
        if (pValue != null && !(pValue >= 0.0 && pValue <= 1.0)) {
            throw new IllegalArgumentException(test.id() + ": p-value must be in [0, 1], got " + pValue);
        }
    }

    /** A result with one way of computing its p-value. */
    public TestResult(DriftTest test, Double statistic, Double pValue, String undefinedReason) {
        this(test, statistic, pValue, undefinedReason, null);
    }

    /** A defined effect-size statistic without p-value. */
    public static TestResult of(DriftTest test, double statistic) {
        return new TestResult(test, statistic, null, null);
    }

    /** A defined statistic with its p-value. */
    public static TestResult of(DriftTest test, double statistic, double pValue) {
        return new TestResult(test, statistic, pValue, null);
    }

    /** A defined statistic with its p-value and how that p-value was computed. */
    public static TestResult of(DriftTest test, double statistic, double pValue, String method) {
        return new TestResult(test, statistic, pValue, null, method);
    }

    /** An undefined statistic, with the reason. */
    public static TestResult undefined(DriftTest test, String reason) {
        return new TestResult(test, null, null, Objects.requireNonNull(reason, "reason"));
    }

    /** Whether the statistic is defined. */
    public boolean isDefined() {
        return statistic != null;
    }
}
