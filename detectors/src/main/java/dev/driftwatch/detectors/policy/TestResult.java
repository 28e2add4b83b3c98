package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.DriftTest;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The outcome of one drift test on one feature in one window: a statistic (with a p-value for a
 * significance test), or "undefined" with a reason when the test could not be computed (for
 * example Wasserstein when the reference standard deviation is 0, or an empty window).
 *
 * <p>An undefined result never counts as crossing a threshold, and an undefined significance test
 * counts as no significance test. Instances are immutable and compare by value.
 */
public final class TestResult {

    private final DriftTest test;
    private final double statistic;
    private final double pValue;
    private final String undefinedReason;

    private TestResult(DriftTest test, double statistic, double pValue, String undefinedReason) {
        this.test = test;
        this.statistic = statistic;
        this.pValue = pValue;
        this.undefinedReason = undefinedReason;
    }

    /**
     * The result of an effect-size test (PSI, KL, JS, Wasserstein).
     *
     * @param test an effect-size test
     * @param statistic its value; finite and ≥ 0 (see {@link DriftTest} for each range)
     * @return the result
     * @throws IllegalArgumentException if {@code test} is null or a significance test, or the
     *     statistic is negative, NaN or infinite
     */
    public static TestResult effect(DriftTest test, double statistic) {
        checkTest(test);
        if (!test.isEffectSize()) {
            throw new IllegalArgumentException("test '" + test.id() + "' is a significance test;"
                    + " use TestResult.significance(test, statistic, pValue)");
        }
        checkStatistic(test, statistic);
        return new TestResult(test, statistic, Double.NaN, null);
    }

    /**
     * The result of a significance test (KS, chi-square) with its raw, uncorrected p-value.
     *
     * @param test a significance test
     * @param statistic its value; finite and ≥ 0 (KS D in [0, 1], chi-square in [0, +∞))
     * @param pValue its raw p-value, in [0, 1]; at streaming sample sizes often tiny
     * @return the result
     * @throws IllegalArgumentException if {@code test} is null or an effect size, the statistic is
     *     negative or not finite, or the p-value is outside [0, 1] or NaN
     */
    public static TestResult significance(DriftTest test, double statistic, double pValue) {
        checkTest(test);
        if (!test.isSignificanceTest()) {
            throw new IllegalArgumentException("test '" + test.id() + "' is an effect size and has no"
                    + " p-value; use TestResult.effect(test, statistic)");
        }
        checkStatistic(test, statistic);
        if (!(pValue >= 0.0 && pValue <= 1.0)) {
            throw new IllegalArgumentException("p-value of " + test.id() + " is " + pValue
                    + "; expected a value in [0, 1]");
        }
        return new TestResult(test, statistic, pValue, null);
    }

    /**
     * A test that could not be computed.
     *
     * @param test the test, of either kind
     * @param reason why it is undefined, for operators (for example "reference std is 0"); not blank
     * @return the result
     * @throws IllegalArgumentException if {@code test} is null or {@code reason} is null or blank
     */
    public static TestResult undefined(DriftTest test, String reason) {
        checkTest(test);
        if (reason == null || reason.isBlank()) {
            throw new IllegalArgumentException("an undefined " + test.id()
                    + " result needs a reason, got '" + reason + "'");
        }
        return new TestResult(test, Double.NaN, Double.NaN, reason);
    }

    private static void checkTest(DriftTest test) {
        if (test == null) {
            throw new IllegalArgumentException("test must not be null");
        }
    }

    private static void checkStatistic(DriftTest test, double statistic) {
        if (!Double.isFinite(statistic) || statistic < 0.0) {
            throw new IllegalArgumentException(test.id() + " statistic " + statistic
                    + " is not allowed; expected a finite value >= 0 (report it as undefined if it"
                    + " could not be computed)");
        }
    }

    /**
     * The test this is a result of.
     *
     * @return the test
     */
    public DriftTest test() {
        return test;
    }

    /**
     * Whether the test could be computed.
     *
     * @return true when {@link #statistic()} is present
     */
    public boolean isDefined() {
        return undefinedReason == null;
    }

    /**
     * The statistic, when defined.
     *
     * @return the statistic (finite, ≥ 0), or empty when undefined
     */
    public OptionalDouble statistic() {
        return isDefined() ? OptionalDouble.of(statistic) : OptionalDouble.empty();
    }

    /**
     * The raw p-value of a defined significance test.
     *
     * @return the p-value in [0, 1], or empty for an effect size or an undefined result
     */
    public OptionalDouble pValue() {
        return Double.isNaN(pValue) ? OptionalDouble.empty() : OptionalDouble.of(pValue);
    }

    /**
     * Why the test is undefined.
     *
     * @return the reason, or empty when the test is defined
     */
    public Optional<String> undefinedReason() {
        return Optional.ofNullable(undefinedReason);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TestResult)) {
            return false;
        }
        TestResult that = (TestResult) o;
        return test == that.test
                && Double.compare(statistic, that.statistic) == 0
                && Double.compare(pValue, that.pValue) == 0
                && Objects.equals(undefinedReason, that.undefinedReason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(test, statistic, pValue, undefinedReason);
    }

    @Override
    public String toString() {
        if (!isDefined()) {
            return test.id() + "=undefined(" + undefinedReason + ")";
        }
        return test.id() + "=" + statistic + (Double.isNaN(pValue) ? "" : " (p=" + pValue + ")");
    }
}
