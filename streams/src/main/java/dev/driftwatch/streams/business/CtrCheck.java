package dev.driftwatch.streams.business;

import dev.driftwatch.detectors.TwoProportionTest;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;

import java.time.Instant;
import java.util.TreeMap;

/**
 * One window's business outcome of one model version (and segment), compared with its CTR baseline:
 * the {@link BusinessMetrics} record, the {@link BusinessContext} that drift alerts of the window carry,
 * and the window's CTR verdict.
 *
 * <p>The window's CTR is tested when it has at least {@code business.ctr.min.impressions} impressions and
 * the model version has a CTR baseline: the verdict is {@link Severity#WARNING} when the one-sided
 * pooled two-proportion z-test gives p &le; {@code business.ctr.alpha} and the relative drop
 * 1 − ctr/baselineCtr is at least {@code business.ctr.drop.warning}, {@link Severity#CRITICAL} when the
 * drop also reaches {@code business.ctr.drop.critical}, and {@link Severity#NONE} otherwise.
 *
 * @param metrics  the record for the business-metrics topic
 * @param context  the CTR context for the window's alerts
 * @param tested   whether the CTR was tested (baseline known, enough impressions)
 * @param severity the verdict; NONE when not tested
 * @param test     the test's result, or null when not tested
 * @param baseline the CTR baseline, or null
 */
public record CtrCheck(BusinessMetrics metrics, BusinessContext context, boolean tested, Severity severity,
                       TwoProportionTest.Result test, CtrBaseline baseline) {

    /**
     * Checks a window.
     *
     * @param part     the window's business part; null when no request of the window was final (all zero)
     * @param baseline the model version's CTR baseline, or null
     */
    public static CtrCheck of(WindowBundle b, BusinessPart part, CtrBaseline baseline, BusinessSettings settings) {
        BusinessPart p = part == null ? new BusinessPart() : part;
        Double ctr = p.ctr();
        Double baselineCtr = baseline == null ? null : baseline.ctr();
        TwoProportionTest.Result test = null;
        Severity severity = Severity.NONE;
        boolean tested = baseline != null && p.impressions() >= settings.minImpressions();
        if (tested) {
            test = TwoProportionTest.lowerTail(p.clicks(), p.impressions(), baseline.clicks(), baseline.impressions());
            double drop = test.relativeDrop();
            if (test.pValue() <= settings.alpha() && drop >= settings.dropWarning()) {
                severity = drop >= settings.dropCritical() ? Severity.CRITICAL : Severity.WARNING;
            }
        }
        Double drop = ctr != null && baselineCtr != null && baselineCtr > 0 ? 1 - ctr / baselineCtr : null;
        BusinessMetrics metrics = BusinessMetrics.newBuilder()
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setInferenceCount(b.events())
                .setImpressionCount(p.impressions())
                .setClickCount(p.clicks())
                .setConversionCount(p.conversions())
                .setCtr(ctr)
                .setConversionRate(p.clicks() > 0 ? (double) p.conversions() / p.clicks() : null)
                .setBaselineCtr(baselineCtr)
                .setOutcomeValue(p.valuedOutcomes() > 0 ? p.valueSum() : null)
                .setOtherRates(otherRates(p))
                .setSegment(b.segment())
                .setRequestCount(p.requests())
                .setClicksWithoutImpression(p.clicksWithoutImpression())
                .setConversionsWithoutClick(p.conversionsWithoutClick())
                .setClicksBeforeImpression(p.clicksBeforeImpression())
                .setDuplicateOutcomes(p.duplicates())
                .setOutcomesOutsideJoinWindow(p.outsideJoinWindow())
                .setBaselineImpressions(baseline == null ? null : baseline.impressions())
                .setCtrRelativeDrop(drop)
                .setCtrPValue(test == null ? null : test.pValue())
                .setUnmatchedOutcomes(p.unmatchedOutcomes())
                .setLateOutcomes(p.lateOutcomes())
                .build();
        BusinessContext context = BusinessContext.newBuilder()
                .setCurrentCtr(ctr)
                .setBaselineCtr(baselineCtr)
                .setCtrDelta(ctr != null && baselineCtr != null ? ctr - baselineCtr : null)
                .build();
        return new CtrCheck(metrics, context, tested, severity, test, baseline);
    }

    private static java.util.Map<String, Double> otherRates(BusinessPart p) {
        java.util.Map<String, Double> rates = new TreeMap<>();
        if (p.requests() > 0) {
            rates.put("impressionRate", (double) p.impressions() / p.requests());
            rates.put("otherOutcomeRate", (double) p.otherOutcomes() / p.requests());
        }
        return rates;
    }

    /** The record key on the business-metrics topic: {@code model/version}, plus {@code @segment} when segmented. */
    public static String key(WindowBundle b) {
        return WindowKeys.version(b);
    }
}
