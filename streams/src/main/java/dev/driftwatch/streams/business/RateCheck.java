package dev.driftwatch.streams.business;

import dev.driftwatch.detectors.TwoProportionTest;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.schemas.avro.DriftTest;

import java.util.Locale;

/**
 * One window's {@link OutcomeRate} (CTR, conversion rate, negative-feedback rate, success rate) of one model
 * version (and segment), compared with the rate's baseline.
 *
 * <p>The rate is tested when the window has at least {@code minTrials} trials and the model version has a
 * baseline of the rate: by the one-sided pooled two-proportion z-test of "the rate dropped" (for a rate whose
 * rise is bad, negative feedback, "the rate rose", which is the same test of its complement dropping). The
 * verdict is {@link Severity#WARNING} when the p-value is at most {@code alpha} and the relative change in the
 * bad direction (1 − rate/baseline for a drop, rate/baseline − 1 for a rise) reaches {@code warning},
 * {@link Severity#CRITICAL} when it also reaches {@code critical}, and {@link Severity#NONE} otherwise. A
 * baseline rate of 0 gives no relative change (no drop is possible; a rise from 0 is not sized): not alerted.
 *
 * @param rate      the rate
 * @param successes the window's successes
 * @param trials    the window's trials
 * @param baseline  the rate's baseline, or null
 * @param tested    whether the rate was tested (baseline known, enough trials)
 * @param severity  the verdict; NONE when not tested
 * @param test      the z-test's result (on the complement for a rate whose rise is bad), or null when not tested
 * @param warning   the warning level of the relative change
 */
public record RateCheck(OutcomeRate rate, long successes, long trials, RateBaseline baseline, boolean tested,
                        Severity severity, TwoProportionTest.Result test, double warning) implements OutcomeVerdict {

    /**
     * Checks a window's rate.
     *
     * @param part     the window's business part (all zero when no request of the window was final)
     * @param baseline the rate's baseline for the model version, or null
     */
    public static RateCheck of(OutcomeRate rate, BusinessPart part, RateBaseline baseline, long minTrials,
                               double alpha, double warning, double critical) {
        long x = rate.successes(part);
        long n = rate.trials(part);
        boolean tested = baseline != null && n >= minTrials && n > 0;
        TwoProportionTest.Result test = null;
        Severity severity = Severity.NONE;
        if (tested) {
            test = rate.bad() == OutcomeRate.Direction.DROP
                    ? TwoProportionTest.lowerTail(x, n, baseline.successes(), baseline.trials())
                    : TwoProportionTest.lowerTail(n - x, n, baseline.trials() - baseline.successes(), baseline.trials());
            Double change = relativeChange(rate, (double) x / n, baseline.value());
            if (change != null && test.pValue() <= alpha && change >= warning) {
                severity = change >= critical ? Severity.CRITICAL : Severity.WARNING;
            }
        }
        return new RateCheck(rate, x, n, baseline, tested, severity, test, warning);
    }

    /** The relative change in the bad direction: 1 − r/r₀ for a drop, r/r₀ − 1 for a rise; null when r₀ is 0. */
    static Double relativeChange(OutcomeRate rate, double value, double baselineValue) {
        if (!(baselineValue > 0)) {
            return null;
        }
        return rate.bad() == OutcomeRate.Direction.DROP ? 1 - value / baselineValue : value / baselineValue - 1;
    }

    /** successes / trials; null without trials. */
    public Double value() {
        return trials > 0 ? (double) successes / trials : null;
    }

    /** The baseline's rate, or null. */
    public Double baselineValue() {
        return baseline == null ? null : baseline.value();
    }

    /** The relative change in the bad direction, whether tested or not; null without a rate or a baseline rate. */
    public Double change() {
        Double v = value();
        return v == null || baseline == null ? null : relativeChange(rate, v, baseline.value());
    }

    @Override
    public String subject() {
        return rate.subject();
    }

    @Override
    public DriftTest alertTest() {
        return DriftTest.RATE;
    }

    @Override
    public double statistic() {
        Double c = change();
        return c == null || c.isNaN() ? 0.0 : c;
    }

    @Override
    public Double pValue() {
        return test == null ? null : test.pValue();
    }

    @Override
    public long currentSampleSize() {
        return trials;
    }

    @Override
    public Reference reference() {
        return baseline == null ? null : new Reference(baseline.id(), baseline.source(), baseline.trials());
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "%s %.4f vs baseline %.4f, relative %s %.1f %% (threshold %.1f %%),"
                        + " one-sided p = %.3g, %d %s", rate.label(), value() == null ? Double.NaN : value(),
                baselineValue() == null ? Double.NaN : baselineValue(),
                rate.bad() == OutcomeRate.Direction.DROP ? "drop" : "rise", 100 * statistic(), 100 * warning,
                pValue() == null ? Double.NaN : pValue(), trials, rate.trialsLabel());
    }
}
