package dev.driftwatch.detectors.policy;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import java.util.Objects;

/**
 * The two thresholds of one effect-size test: a statistic at or above {@link #warning()} is a
 * {@link Severity#WARNING}, at or above {@link #critical()} a {@link Severity#CRITICAL}.
 *
 * <p>Typical values: PSI 0.1 / 0.25, KL 0.1 / 0.25, JS distance 0.1 / 0.2, normalised
 * Wasserstein 0.1 / 0.3. Instances are immutable and compare by value.
 */
public final class Threshold {

    private final DriftTest test;
    private final double warning;
    private final double critical;

    private Threshold(DriftTest test, double warning, double critical) {
        this.test = test;
        this.warning = warning;
        this.critical = critical;
    }

    /**
     * Creates the thresholds of an effect-size test.
     *
     * @param test the effect-size test they apply to; must satisfy {@link DriftTest#isEffectSize()}
     * @param warning the smallest statistic that counts as a warning; finite, ≥ 0, typically 0.1
     * @param critical the smallest statistic that counts as critical; finite, ≥ {@code warning},
     *     typically 0.2–0.3. Equal to {@code warning} means every crossing is critical.
     * @return the thresholds
     * @throws IllegalPolicyException if the test is null or not an effect size, or a value is
     *     negative, not finite, or {@code critical < warning}
     */
    public static Threshold of(DriftTest test, double warning, double critical) {
        if (test == null) {
            throw new IllegalPolicyException("threshold test must not be null; expected an effect-size test"
                    + " (" + DriftTests.effectSizeIds() + ")");
        }
        if (!test.isEffectSize()) {
            throw new IllegalPolicyException("threshold test '" + test.id() + "' is a significance test;"
                    + " its p-value is gated by alpha. Thresholds apply to effect sizes ("
                    + DriftTests.effectSizeIds() + ")");
        }
        checkValue(test, "warning", warning);
        checkValue(test, "critical", critical);
        if (critical < warning) {
            throw new IllegalPolicyException("threshold for " + test.id() + ": critical " + critical
                    + " is below warning " + warning + "; expected critical >= warning");
        }
        return new Threshold(test, warning, critical);
    }

    private static void checkValue(DriftTest test, String name, double value) {
        if (!Double.isFinite(value) || value < 0.0) {
            throw new IllegalPolicyException("threshold for " + test.id() + ": " + name + " " + value
                    + " is not allowed; expected a finite value >= 0");
        }
    }

    /**
     * Classifies a statistic of this test.
     *
     * @param statistic the test's statistic, normally ≥ 0; +∞ is accepted and is critical
     * @return {@link Severity#CRITICAL} if {@code statistic ≥ critical}, else
     *     {@link Severity#WARNING} if {@code statistic ≥ warning}, else {@link Severity#NONE}
     * @throws IllegalArgumentException if {@code statistic} is NaN
     */
    public Severity classify(double statistic) {
        if (Double.isNaN(statistic)) {
            throw new IllegalArgumentException("cannot classify a NaN " + test.id()
                    + " statistic; an undefined statistic must be reported as undefined, not NaN");
        }
        if (statistic >= critical) {
            return Severity.CRITICAL;
        }
        if (statistic >= warning) {
            return Severity.WARNING;
        }
        return Severity.NONE;
    }

    /**
     * The test these thresholds apply to.
     *
     * @return an effect-size test
     */
    public DriftTest test() {
        return test;
    }

    /**
     * The warning threshold: the smallest statistic classified as at least a warning.
     *
     * @return a finite value ≥ 0, typically 0.1
     */
    public double warning() {
        return warning;
    }

    /**
     * The critical threshold: the smallest statistic classified as critical.
     *
     * @return a finite value ≥ {@link #warning()}, typically 0.2–0.3
     */
    public double critical() {
        return critical;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Threshold)) {
            return false;
        }
        Threshold that = (Threshold) o;
        return test == that.test
                && Double.compare(warning, that.warning) == 0
                && Double.compare(critical, that.critical) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(test, warning, critical);
    }

    @Override
    public String toString() {
        return "Threshold{" + test.id() + ", warning=" + warning + ", critical=" + critical + "}";
    }
}
