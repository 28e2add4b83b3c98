package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.CommandStatus;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.JudgeScores;
import dev.driftwatch.streams.business.MeanCheck;
import dev.driftwatch.streams.business.OutcomeRate;
import dev.driftwatch.streams.business.RateBaseline;
import dev.driftwatch.streams.business.UnattributedOutcomes;
import dev.driftwatch.streams.internals.BaselineCodec;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outcomes beyond CTR on the whole topology (TopologyTestDriver): user feedback, task success, conversions,
 * value per request and judge scores, joined by request id, counted, tested against their baselines and
 * alerted. Expectations are computed by hand; p-values by scipy (see the comments: pooled two-proportion
 * z-tests as {@code norm.sf(-z)}, Welch's test as {@code ttest_ind_from_stats(..., equal_var=False,
 * alternative='less')}).
 */
class OutcomeSlisTopologyTest {
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private static final class Fixture implements AutoCloseable {
        final PipelineFixture f;
        final TestInputTopic<String, OutcomeEvent> outcomes;
        final TestOutputTopic<String, BusinessMetrics> business;

        Fixture(Path stateDir) {
            BusinessSettings settings = BusinessSettings.enabled(Duration.ofSeconds(10)).withMinImpressions(10)
                    .withOutcomeTests(new BusinessSettings.OutcomeTests(10, 0.1, 0.25, 0.01));
            f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                    .withSignals(Signals.none().with(settings)), stateDir);
            outcomes = f.driver.createInputTopic(f.topics.outcomes().name(), Serdes.String().serializer(),
                    f.topics.outcomes().valueSerde().serializer());
            business = f.driver.createOutputTopic(f.topics.businessMetrics().name(), Serdes.String().deserializer(),
                    f.topics.businessMetrics().valueSerde().deserializer());
        }

        void inference(String requestId, long time) {
            InferenceEvent e = f.event("m", "1", time, Map.of("x", 0.0), Map.of(), null);
            e.setRequestId(requestId);
            e.setRole(DeploymentRole.PRIMARY);
            f.send(e);
        }

        void outcome(String requestId, OutcomeType type, long time) {
            outcome(requestId, type, time, null, null);
        }

        void outcome(String requestId, OutcomeType type, long time, Double value, Double score) {
            OutcomeEvent o = OutcomeEvent.newBuilder().setRequestId(requestId).setType(type).setValue(value)
                    .setScore(score).setEventTime(Instant.ofEpochMilli(time)).setAttributes(Map.of()).build();
            outcomes.pipeInput(requestId, o, time);
        }

        void rateBaseline(OutcomeRate rate, long trials, long successes) {
            f.baselines.pipeInput(BaselineCodec.key("m", "1", rate.subject()),
                    RateBaseline.toAvro(rate, "m", "1", trials, successes, "test:" + rate.subject(), null, null, null),
                    Instant.EPOCH);
        }

        List<BusinessMetrics> versionMetrics() {
            return business.readValuesToList().stream().filter(m -> m.getModelId().equals("m")).toList();
        }

        @Override
        public void close() {
            f.close();
        }
    }

    @Test
    void shouldJoinFeedbackSuccessValuesAndJudgeScoresByRequestIdAndCountWhatCannotBeUsed() {
        try (Fixture x = new Fixture(stateDir)) {
            // R1: thumbs up. R2: thumbs down that arrives before its inference and waits for it.
            x.inference("R1", T0 + SECOND);
            x.outcome("R1", OutcomeType.FEEDBACK_POSITIVE, T0 + 2 * SECOND);
            x.outcome("R2", OutcomeType.FEEDBACK_NEGATIVE, T0 + 2 * SECOND);
            x.inference("R2", T0 + 3 * SECOND);
            // R3: thumbs down twice (one duplicate). R4: up and down: conflicting, in neither count.
            x.inference("R3", T0 + 4 * SECOND);
            x.outcome("R3", OutcomeType.FEEDBACK_NEGATIVE, T0 + 5 * SECOND);
            x.outcome("R3", OutcomeType.FEEDBACK_NEGATIVE, T0 + 6 * SECOND);
            x.inference("R4", T0 + 5 * SECOND);
            x.outcome("R4", OutcomeType.FEEDBACK_POSITIVE, T0 + 6 * SECOND);
            x.outcome("R4", OutcomeType.FEEDBACK_NEGATIVE, T0 + 7 * SECOND);
            // R5: a thumbs down whose inference never comes: unmatched.
            x.outcome("R5", OutcomeType.FEEDBACK_NEGATIVE, T0 + 6 * SECOND);
            // R6: success. R7: success before its inference, then again after it (a duplicate). R8: failure.
            x.inference("R6", T0 + 7 * SECOND);
            x.outcome("R6", OutcomeType.SUCCESS, T0 + 8 * SECOND);
            x.outcome("R7", OutcomeType.SUCCESS, T0 + 8 * SECOND);
            x.inference("R7", T0 + 9 * SECOND);
            x.outcome("R7", OutcomeType.SUCCESS, T0 + 10 * SECOND);
            x.inference("R8", T0 + 10 * SECOND);
            x.outcome("R8", OutcomeType.FAILURE, T0 + 11 * SECOND);
            // R9: success and failure: conflicting.
            x.inference("R9", T0 + 11 * SECOND);
            x.outcome("R9", OutcomeType.SUCCESS, T0 + 12 * SECOND);
            x.outcome("R9", OutcomeType.FAILURE, T0 + 13 * SECOND);
            // R10: judge score 4. R11: score 2 before its inference, then a second score 5 (a duplicate, not used).
            x.inference("R10", T0 + 12 * SECOND);
            x.outcome("R10", OutcomeType.JUDGE_SCORE, T0 + 13 * SECOND, null, 4.0);
            x.outcome("R11", OutcomeType.JUDGE_SCORE, T0 + 13 * SECOND, null, 2.0);
            x.inference("R11", T0 + 14 * SECOND);
            x.outcome("R11", OutcomeType.JUDGE_SCORE, T0 + 15 * SECOND, null, 5.0);
            // R12: a judge outcome without a score.
            x.inference("R12", T0 + 15 * SECOND);
            x.outcome("R12", OutcomeType.JUDGE_SCORE, T0 + 16 * SECOND);
            // R13, R14: impression, click and a conversion worth 10 and 30.
            for (String id : List.of("R13", "R14")) {
                long t = T0 + (id.equals("R13") ? 16 : 17) * SECOND;
                x.inference(id, t);
                x.outcome(id, OutcomeType.IMPRESSION, t + 100);
                x.outcome(id, OutcomeType.CLICK, t + 200);
                x.outcome(id, OutcomeType.CONVERSION, t + 300, id.equals("R13") ? 10.0 : 30.0, null);
            }
            // R15: a thumbs down 22 s after its inference, beyond the 10 s join window.
            x.inference("R15", T0 + 18 * SECOND);
            x.outcome("R15", OutcomeType.FEEDBACK_NEGATIVE, T0 + 40 * SECOND);
            x.inference("close", T0 + 150 * SECOND);

            List<BusinessMetrics> all = x.business.readValuesToList();
            BusinessMetrics w = all.stream().filter(m -> m.getModelId().equals("m")
                    && m.getWindowStart().toEpochMilli() == T0).findFirst().orElseThrow();
            assertEquals(14, w.getRequestCount(), "R1-R4 and R6-R15: 4 + 10");
            assertEquals(1, w.getFeedbackPositiveCount(), "R1");
            assertEquals(2, w.getFeedbackNegativeCount(), "R2 (waited), R3");
            assertEquals(2.0 / 3, w.getNegativeFeedbackRate(), 1e-12);
            assertEquals(2, w.getSuccessCount(), "R6, R7 (waited)");
            assertEquals(1, w.getFailureCount(), "R8");
            assertEquals(2.0 / 3, w.getSuccessRate(), 1e-12);
            assertEquals(2, w.getConflictingOutcomes(), "R4, R9");
            assertEquals(3, w.getDuplicateOutcomes(), "R3's thumbs down, R7's success, R11's score");
            assertEquals(1, w.getOutcomesOutsideJoinWindow(), "R15");
            assertEquals(2, w.getJudgeScoreCount(), "R10, R11 (R12 had none)");
            assertEquals(3.0, w.getJudgeScoreMean(), 1e-12, "(4 + 2) / 2: R11's second score is a duplicate");
            assertNull(w.getBaselineJudgeScoreMean());
            assertEquals(2, w.getConversionCount());
            assertEquals(1.0, w.getConversionRate(), 1e-12, "2 conversions of 2 clicks");
            assertEquals(1.0, w.getConversionsPerImpression(), 1e-12, "2 of 2 impressions");
            assertEquals(2, w.getValueCount());
            assertEquals(20.0, w.getValueMean(), 1e-12);
            assertEquals(Math.sqrt(200), w.getValueStd(), 1e-12, "((10-20)² + (30-20)²) / (2 - 1) = 200");
            assertNull(w.getNegativeFeedbackPValue(), "no baseline: not tested");
            assertNull(w.getSuccessPValue());
            long unmatched = all.stream().filter(m -> m.getModelId().equals(UnattributedOutcomes.MODEL))
                    .mapToLong(BusinessMetrics::getUnmatchedOutcomes).sum();
            assertEquals(1, unmatched, "R5");
            assertTrue(x.f.readStats().stream().noneMatch(s -> s.getSubject().startsWith("business.")),
                    "without baselines of their distributions, scores and values are no window subjects");
        }
    }

    /**
     * Windows 0-2 of 100 requests, each with an impression and a click, feedback and SUCCESS or FAILURE:
     * conversions 10 / 2 / 10, negative feedback 20 / 50 / 20, successes 80 / 68 / 80, against baselines of
     * 100 of 1000 (conversions per click), 200 of 1000 (negative feedback) and 800 of 1000 (success).
     */
    private static void rateTraffic(Fixture x) {
        x.rateBaseline(OutcomeRate.CONVERSION, 1000, 100);
        x.rateBaseline(OutcomeRate.NEGATIVE_FEEDBACK, 1000, 200);
        x.rateBaseline(OutcomeRate.SUCCESS, 1000, 800);
        int[] conversions = {10, 2, 10};
        int[] negative = {20, 50, 20};
        int[] successes = {80, 68, 80};
        for (int w = 0; w < 3; w++) {
            for (int i = 0; i < 100; i++) {
                String id = "w" + w + "-" + i;
                long t = T0 + w * MINUTE + i * 400L;
                x.inference(id, t);
                x.outcome(id, OutcomeType.IMPRESSION, t + 100);
                x.outcome(id, OutcomeType.CLICK, t + 200);
                if (i < conversions[w]) {
                    x.outcome(id, OutcomeType.CONVERSION, t + 300);
                }
                x.outcome(id, i < negative[w] ? OutcomeType.FEEDBACK_NEGATIVE : OutcomeType.FEEDBACK_POSITIVE, t + 300);
                x.outcome(id, i < successes[w] ? OutcomeType.SUCCESS : OutcomeType.FAILURE, t + 350);
            }
        }
        x.inference("close", T0 + 5 * MINUTE);
    }

    @Test
    void shouldTestConversionNegativeFeedbackAndSuccessRatesAgainstTheirBaselinesAndFireAndResolveOnce() {
        try (Fixture x = new Fixture(stateDir)) {
            rateTraffic(x);
            List<BusinessMetrics> records = x.versionMetrics();
            assertEquals(3, records.size(), records.toString());
            BusinessMetrics normal = records.get(0);
            assertEquals(0.1, normal.getConversionRate(), 1e-12);
            assertEquals(0.1, normal.getBaselineConversionRate(), 1e-12);
            assertEquals(0.0, normal.getConversionRelativeDrop(), 1e-12);
            assertEquals(0.5, normal.getConversionPValue(), 1e-12, "equal rates: z = 0");
            assertEquals(0.5, normal.getNegativeFeedbackPValue(), 1e-12);
            BusinessMetrics bad = records.get(1);
            assertEquals(0.02, bad.getConversionRate(), 1e-12);
            assertEquals(0.02, bad.getConversionsPerImpression(), 1e-12);
            assertEquals(0.8, bad.getConversionRelativeDrop(), 1e-12);
            // scipy: x 2 of 100 vs 100 of 1000: z = -2.629789415343333, norm.sf(-z) = 0.004271888687007245
            assertEquals(0.004271888687007245, bad.getConversionPValue(), 1e-9 * 0.004271888687007245);
            assertEquals(0.5, bad.getNegativeFeedbackRate(), 1e-12);
            assertEquals(0.2, bad.getBaselineNegativeFeedbackRate(), 1e-12);
            assertEquals(1.5, bad.getNegativeFeedbackRelativeRise(), 1e-12, "0.5 / 0.2 - 1");
            // The rise of the negative rate is the drop of the positive one: 50 of 100 vs 800 of 1000,
            // scipy: z = -6.8255575079342545, norm.sf(-z) = 4.379225327458911e-12
            assertEquals(4.379225327458911e-12, bad.getNegativeFeedbackPValue(), 1e-9 * 4.379225327458911e-12);
            assertEquals(0.68, bad.getSuccessRate(), 1e-12);
            assertEquals(0.15, bad.getSuccessRelativeDrop(), 1e-12, "1 - 0.68 / 0.8");
            // scipy: 68 of 100 vs 800 of 1000: z = -2.8046181071296217, norm.sf(-z) = 0.002518811377344635
            assertEquals(0.002518811377344635, bad.getSuccessPValue(), 1e-9 * 0.002518811377344635);

            List<DriftAlert> alerts = x.f.readAlerts();
            Map<String, Severity> expected = Map.of("business.conversion", Severity.CRITICAL,
                    "business.feedback.negative", Severity.CRITICAL, "business.success", Severity.WARNING);
            for (Map.Entry<String, Severity> e : expected.entrySet()) {
                List<DriftAlert> mine = alerts.stream().filter(a -> a.getSubject().equals(e.getKey())).toList();
                assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                        mine.stream().map(DriftAlert::getState).toList(), e.getKey());
                DriftAlert firing = mine.get(0);
                assertEquals(e.getValue(), firing.getSeverity(), e.getKey());
                assertEquals(SubjectKind.BUSINESS, firing.getSubjectKind());
                assertEquals(DriftTest.RATE, firing.getTest());
                assertEquals(T0 + MINUTE, firing.getWindowStart().toEpochMilli());
                assertEquals(T0 + 2 * MINUTE, mine.get(1).getWindowStart().toEpochMilli());
                assertEquals(1000, firing.getReferenceSampleSize());
                assertEquals(0.1, firing.getThreshold(), 0.0);
            }
            DriftAlert feedback = alerts.stream().filter(a -> a.getSubject().equals("business.feedback.negative"))
                    .findFirst().orElseThrow();
            assertEquals(1.5, feedback.getStatistic(), 1e-12);
            assertEquals(100, feedback.getCurrentSampleSize(), "requests with feedback");
            assertTrue(feedback.getSummary().contains("negative-feedback rate 0.5000 vs baseline 0.2000, relative rise"
                    + " 150.0 %"), feedback.getSummary());
            assertTrue(alerts.stream().noneMatch(a -> a.getSubject().equals("business.ctr")), "no CTR baseline");
        }
    }

    @Test
    void shouldCaptureEveryRateBaselineFromRetainedWindows() {
        try (Fixture x = new Fixture(stateDir)) {
            rateTraffic(x);
            ControlCommand capture = ControlCommand.newBuilder().setCommandId("cmd-rates")
                    .setType(CommandType.CAPTURE_BASELINE).setIssuedAt(Instant.ofEpochMilli(T0)).setIssuedBy("test")
                    .setModelId("m").setModelVersion("1").setSubject(null).setFrom(Instant.ofEpochMilli(T0))
                    .setTo(Instant.ofEpochMilli(T0 + 3 * MINUTE)).setPolicyVersion(null).setParameters(Map.of())
                    .setReason("test").build();
            x.f.control.pipeInput(capture.getCommandId(), capture, Instant.ofEpochMilli(T0 + 6 * MINUTE));
            ControlResult result = x.f.controlResults.readValue();
            assertEquals(CommandStatus.ACCEPTED, result.getStatus(), String.valueOf(result.getReason()));
            Map<String, Map<String, Long>> captured = new java.util.TreeMap<>();
            x.f.baselinesOut.readValuesToList().forEach(b -> captured.put(b.getFeature(), b.getCategoryCounts()));
            // Windows 0-2: conversions 10 + 2 + 10 of 300 clicks; negative feedback 20 + 50 + 20 of 300;
            // successes 80 + 68 + 80 of 300; impressions 300, all clicked.
            assertEquals(Map.of("conversion", 22L, "no_conversion", 278L), captured.get("business.conversion"));
            assertEquals(Map.of("negative", 90L, "positive", 210L), captured.get("business.feedback.negative"));
            assertEquals(Map.of("success", 228L, "failure", 72L), captured.get("business.success"));
            assertEquals(300L, captured.get("business.ctr").get("click"));
            for (String name : List.of("ctrBaseline", "conversionBaseline", "negativeFeedbackBaseline",
                    "successBaseline")) {
                assertTrue(result.getDetails().containsKey(name), name + " in " + result.getDetails());
            }
        }
    }

    @Test
    void shouldTestTheMeanValuePerRequestByWelchAndDriftTestJudgeScoresLikeANumericFeature() {
        try (Fixture x = new Fixture(stateDir)) {
            double[] referenceValues = new double[200];
            for (int i = 0; i < 200; i++) {
                referenceValues[i] = 10 + i % 20; // mean 19.5, sample variance 33.41708542713568
            }
            x.f.publishNumericBaseline("m", "1", MeanCheck.VALUE_SUBJECT, referenceValues);
            Random r = new Random(24);
            double[] referenceScores = new double[2000];
            for (int i = 0; i < referenceScores.length; i++) {
                referenceScores[i] = 4 + 0.5 * r.nextGaussian();
            }
            x.f.publishNumericBaseline("m", "1", JudgeScores.SUBJECT, referenceScores);
            // Window 0: 50 conversions worth 7, 7.5, ..., 11.5 (mean 9.25, sample variance 2.104591836734694) and
            // judge scores like the reference's; window 1: no value, scores a whole point lower.
            for (int w = 0; w < 2; w++) {
                for (int i = 0; i < 100; i++) {
                    String id = "w" + w + "-" + i;
                    long t = T0 + w * MINUTE + i * 400L;
                    x.inference(id, t);
                    if (w == 0 && i < 50) {
                        x.outcome(id, OutcomeType.CONVERSION, t + 100, 7 + (i % 10) * 0.5, null);
                    }
                    x.outcome(id, OutcomeType.JUDGE_SCORE, t + 200, null, (w == 0 ? 4 : 3) + 0.5 * r.nextGaussian());
                }
            }
            x.inference("close", T0 + 5 * MINUTE);

            List<BusinessMetrics> records = x.versionMetrics();
            BusinessMetrics w0 = records.get(0);
            assertEquals(50, w0.getValueCount());
            assertEquals(9.25, w0.getValueMean(), 1e-12);
            assertEquals(Math.sqrt(2.104591836734694), w0.getValueStd(), 1e-12);
            assertEquals(19.5, w0.getBaselineValueMean(), 1e-12);
            assertEquals(1 - 9.25 / 19.5, w0.getValueRelativeDrop(), 1e-12);
            // scipy: ttest_ind_from_stats(9.25, sqrt(2.104591836734694), 50, 19.5, sqrt(33.41708542713568), 200,
            //   equal_var=False, alternative='less') = (-22.41127818574386, 7.531467667478633e-62)
            assertEquals(7.531467667478633e-62, w0.getValuePValue(), 1e-6 * 7.531467667478633e-62);
            assertEquals(100, w0.getJudgeScoreCount());
            assertEquals(4.0, w0.getBaselineJudgeScoreMean(), 0.05);

            List<DriftAlert> alerts = x.f.readAlerts();
            List<DriftAlert> mean = alerts.stream().filter(a -> a.getSubject().equals(MeanCheck.SUBJECT)).toList();
            assertEquals(List.of(AlertState.FIRING), mean.stream().map(DriftAlert::getState).toList(),
                    "window 1 has no values: not tested, so the alert stays up");
            assertEquals(DriftTest.MEAN, mean.get(0).getTest());
            assertEquals(Severity.CRITICAL, mean.get(0).getSeverity(), "a 52.6 % drop");
            assertEquals(1 - 9.25 / 19.5, mean.get(0).getStatistic(), 1e-12);
            assertEquals(50, mean.get(0).getCurrentSampleSize());
            assertEquals(200, mean.get(0).getReferenceSampleSize());

            // The judge scores are a subject of the windows, tested like a numeric feature.
            List<WindowStats> stats = x.f.readStats().stream()
                    .filter(s -> s.getSubject().equals(JudgeScores.SUBJECT)).toList();
            assertEquals(2, stats.size(), stats.toString());
            assertEquals("outcome", stats.get(0).getSubjectKind());
            assertEquals(100, stats.get(1).getSampleSize());
            assertFalse(stats.get(0).getDrifting(), "window 0 is like the reference");
            assertTrue(stats.get(1).getDrifting(), "window 1 is a point lower");
            List<DriftAlert> judge = alerts.stream().filter(a -> a.getSubject().equals(JudgeScores.SUBJECT)).toList();
            assertEquals(List.of(AlertState.FIRING), judge.stream().map(DriftAlert::getState).toList());
            assertEquals(SubjectKind.BUSINESS, judge.get(0).getSubjectKind());
            assertEquals(T0 + MINUTE, judge.get(0).getWindowStart().toEpochMilli());
            assertTrue(alerts.stream().noneMatch(a -> a.getSubjectKind() == SubjectKind.DATASET),
                    "outcome subjects are not features of the dataset-level judgement");
        }
    }
}
