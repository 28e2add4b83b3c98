package dev.driftwatch.streams.business;

import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One window's business outcomes of one model version (and segment), each compared with its baseline: the
 * {@link BusinessMetrics} record, the {@link BusinessContext} that drift alerts of the window carry, and the
 * verdicts of the CTR, the conversion rate, the negative-feedback rate, the success rate ({@link RateCheck})
 * and the mean value per request ({@link MeanCheck}), in that order.
 *
 * @param metrics  the record for the business-metrics topic
 * @param context  the CTR context for the window's alerts
 * @param rates    the rates' verdicts, CTR first
 * @param value    the value per request's verdict
 */
public record WindowOutcomes(BusinessMetrics metrics, BusinessContext context, List<RateCheck> rates,
                             MeanCheck value) {

    /**
     * The baselines of a model version that the window is compared with; each may be null.
     *
     * @param rates      the rates' baselines by rate (CTR included)
     * @param value      the numeric baseline of {@value MeanCheck#VALUE_SUBJECT}
     * @param judgeScore the numeric baseline of {@value JudgeScores#SUBJECT}
     */
    public record Baselines(Map<OutcomeRate, RateBaseline> rates, NumericBaseline value, NumericBaseline judgeScore) {
        public static final Baselines NONE = new Baselines(Map.of(), null, null);
    }

    /** The CTR's verdict. */
    public RateCheck ctr() {
        return rates.get(0);
    }

    /** Every verdict: the rates', then the value's. */
    public List<OutcomeVerdict> verdicts() {
        List<OutcomeVerdict> all = new ArrayList<>(rates);
        all.add(value);
        return all;
    }

    /**
     * Checks a window.
     *
     * @param part the window's business part; null when no request of the window was final (all zero)
     */
    public static WindowOutcomes of(WindowBundle b, BusinessPart part, Baselines baselines, BusinessSettings settings) {
        BusinessPart p = part == null ? new BusinessPart() : part;
        BusinessSettings.OutcomeTests t = settings.outcomes();
        List<RateCheck> rates = new ArrayList<>();
        rates.add(RateCheck.of(OutcomeRate.CTR, p, baselines.rates().get(OutcomeRate.CTR), settings.minImpressions(),
                settings.alpha(), settings.dropWarning(), settings.dropCritical()));
        for (OutcomeRate rate : OutcomeRate.outcomes()) {
            rates.add(RateCheck.of(rate, p, baselines.rates().get(rate), t.minCount(), t.alpha(), t.changeWarning(),
                    t.changeCritical()));
        }
        MeanCheck value = MeanCheck.of(p, baselines.value(), t.minCount(), t.alpha(), t.changeWarning(),
                t.changeCritical());
        RateCheck ctr = rates.get(0);
        RateCheck conversion = rates.get(1);
        RateCheck feedback = rates.get(2);
        RateCheck success = rates.get(3);
        Double ctrValue = ctr.value();
        Double baselineCtr = ctr.baselineValue();
        NumericBaseline judge = baselines.judgeScore();
        BusinessMetrics metrics = BusinessMetrics.newBuilder()
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setInferenceCount(b.events())
                .setImpressionCount(p.impressions())
                .setClickCount(p.clicks())
                .setConversionCount(p.conversions())
                .setCtr(ctrValue)
                .setConversionRate(conversion.value())
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
                .setBaselineImpressions(ctr.baseline() == null ? null : ctr.baseline().trials())
                .setCtrRelativeDrop(ctr.change())
                .setCtrPValue(ctr.pValue())
                .setUnmatchedOutcomes(p.unmatchedOutcomes())
                .setLateOutcomes(p.lateOutcomes())
                .setConversionsPerImpression(p.impressions() > 0 ? (double) p.conversions() / p.impressions() : null)
                .setBaselineConversionRate(conversion.baselineValue())
                .setConversionRelativeDrop(conversion.change())
                .setConversionPValue(conversion.pValue())
                .setFeedbackPositiveCount(p.feedbackPositive())
                .setFeedbackNegativeCount(p.feedbackNegative())
                .setNegativeFeedbackRate(feedback.value())
                .setBaselineNegativeFeedbackRate(feedback.baselineValue())
                .setNegativeFeedbackRelativeRise(feedback.change())
                .setNegativeFeedbackPValue(feedback.pValue())
                .setSuccessCount(p.successes())
                .setFailureCount(p.failures())
                .setSuccessRate(success.value())
                .setBaselineSuccessRate(success.baselineValue())
                .setSuccessRelativeDrop(success.change())
                .setSuccessPValue(success.pValue())
                .setConflictingOutcomes(p.conflicting())
                .setValueCount(p.valuedRequests())
                .setValueMean(p.valueMean())
                .setValueStd(value.std())
                .setBaselineValueMean(value.baselineMean())
                .setValueRelativeDrop(value.relativeDrop())
                .setValuePValue(value.pValue())
                .setJudgeScoreCount(p.judgeScores())
                .setJudgeScoreMean(p.judgeScoreMean())
                .setBaselineJudgeScoreMean(judge == null || judge.reference().count() == 0 ? null
                        : judge.reference().mean())
                .build();
        BusinessContext context = BusinessContext.newBuilder()
                .setCurrentCtr(ctrValue)
                .setBaselineCtr(baselineCtr)
                .setCtrDelta(ctrValue != null && baselineCtr != null ? ctrValue - baselineCtr : null)
                .build();
        return new WindowOutcomes(metrics, context, List.copyOf(rates), value);
    }

    private static Map<String, Double> otherRates(BusinessPart p) {
        Map<String, Double> rates = new TreeMap<>();
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
