package dev.driftwatch.streams.business;

import dev.driftwatch.detectors.WelchTTest;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericSummary;
import dev.driftwatch.schemas.avro.DriftTest;

import java.util.Locale;

/**
 * One window's mean value per request of one model version (and segment), compared with the mean of the
 * numeric baseline of subject {@value #VALUE_SUBJECT} (the reference's count, mean and M₂; its bins serve the
 * distribution's drift tests). Alerts are about subject {@value #SUBJECT}.
 *
 * <p>The mean is tested when the window has at least {@code minCount} valued requests, the baseline has at
 * least two values, and the version has that baseline: by Welch's one-sided two-sample t-test of "the mean
 * dropped" ({@link WelchTTest}), from the window's count, mean and sample variance and the baseline's. The
 * verdict is {@link Severity#WARNING} when p &le; {@code alpha} and the relative drop 1 − mean/baselineMean
 * (the effect size: at streaming sample sizes every p-value is tiny) reaches {@code warning},
 * {@link Severity#CRITICAL} when it also reaches {@code critical}, else {@link Severity#NONE}. A baseline mean
 * of 0 or below gives no relative drop: not alerted.
 *
 * @param count          valued requests of the window
 * @param mean           their mean value, or null
 * @param variance       their sample variance, or null
 * @param baseline       the value baseline, or null
 * @param tested         whether the mean was tested
 * @param severity       the verdict; NONE when not tested
 * @param test           Welch's test, or null when not tested
 * @param warning        the warning level of the relative drop
 */
public record MeanCheck(long count, Double mean, Double variance, NumericBaseline baseline, boolean tested,
                        Severity severity, WelchTTest.Result test, double warning) implements OutcomeVerdict {
    /** The subject of the value per request's baseline (and of its distribution's drift tests). */
    public static final String VALUE_SUBJECT = "business.value";
    /** The subject of the alerts on its mean. */
    public static final String SUBJECT = "business.value.mean";

    /** Checks the window's value per request. */
    public static MeanCheck of(BusinessPart part, NumericBaseline baseline, long minCount, double alpha,
                               double warning, double critical) {
        long n = part.valuedRequests();
        Double mean = part.valueMean();
        Double variance = part.valueVariance();
        NumericSummary ref = baseline == null ? null : baseline.reference();
        boolean tested = ref != null && ref.count() >= 2 && n >= Math.max(2, minCount) && variance != null;
        WelchTTest.Result test = null;
        Severity severity = Severity.NONE;
        if (tested) {
            test = WelchTTest.lowerTail(n, mean, variance, ref.count(), ref.mean(), ref.m2() / (ref.count() - 1));
            double drop = ref.mean() > 0 ? test.relativeDrop() : Double.NaN;
            if (test.pValue() <= alpha && drop >= warning) {
                severity = drop >= critical ? Severity.CRITICAL : Severity.WARNING;
            }
        }
        return new MeanCheck(n, mean, variance, baseline, tested, severity, test, warning);
    }

    /** The baseline's mean, or null. */
    public Double baselineMean() {
        return baseline == null || baseline.reference().count() == 0 ? null : baseline.reference().mean();
    }

    /** 1 − mean / baselineMean; null when either is null or the baseline mean is not above 0. */
    public Double relativeDrop() {
        Double b = baselineMean();
        return mean == null || b == null || !(b > 0) ? null : 1 - mean / b;
    }

    /** The sample standard deviation, or null. */
    public Double std() {
        return variance == null ? null : Math.sqrt(variance);
    }

    @Override
    public String subject() {
        return SUBJECT;
    }

    @Override
    public DriftTest alertTest() {
        return DriftTest.MEAN;
    }

    @Override
    public double statistic() {
        Double d = relativeDrop();
        return d == null ? 0.0 : d;
    }

    @Override
    public Double pValue() {
        return test == null ? null : test.pValue();
    }

    @Override
    public long currentSampleSize() {
        return count;
    }

    @Override
    public Reference reference() {
        return baseline == null ? null
                : new Reference(baseline.id(), baseline.provenance().source(), baseline.reference().count());
    }

    @Override
    public String describe() {
        return String.format(Locale.ROOT, "mean value per request %.4g vs baseline %.4g, relative drop %.1f %%"
                        + " (threshold %.1f %%), Welch one-sided p = %.3g, %d valued requests",
                mean == null ? Double.NaN : mean, baselineMean() == null ? Double.NaN : baselineMean(),
                100 * statistic(), 100 * warning, pValue() == null ? Double.NaN : pValue(), count);
    }
}
