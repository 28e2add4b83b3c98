package dev.driftwatch.streams;

import dev.driftwatch.detectors.slo.BurnRateRule;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.OutcomeRate;
import dev.driftwatch.streams.business.RateBaseline;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.slo.ServiceLevelObjective;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The objectives on outcomes beyond CTR ({@code conversion.ratio}, {@code feedback.negative},
 * {@code success.rate}) on the whole topology, with hand-computed burn rates. Windows of one minute, target 0.9
 * (budget 10 %), one rule 3m/1m@4, at least 2 judged windows over 3m, at least 10 trials per judged window.
 */
class ServiceLevelOutcomesTopologyTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private static PipelineSettings settings() {
        BusinessSettings business = BusinessSettings.enabled(Duration.ofSeconds(10))
                .withOutcomeTests(new BusinessSettings.OutcomeTests(10, 0.1, 0.25, 0.01));
        ServiceLevelSettings slo = new ServiceLevelSettings(true, ServiceLevelObjective.parseAll(
                "conversions:conversion.ratio>=0.9@0.9,thumbs:feedback.negative<=0.3@0.9,resolved:success.rate>=0.7@0.9"),
                BurnRateRule.parseAll("3m/1m@4:CRITICAL"), 2);
        return PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withSignals(Signals.none().with(business).with(slo));
    }

    private static void outcome(TestInputTopic<String, OutcomeEvent> outcomes, String id, OutcomeType type, long t) {
        outcomes.pipeInput(id, OutcomeEvent.newBuilder().setRequestId(id).setType(type).setValue(null)
                .setEventTime(Instant.ofEpochMilli(t)).setAttributes(Map.of()).build(), t);
    }

    @Test
    void shouldJudgeWindowsOnConversionsFeedbackAndSuccessAndSkipThinOnes() {
        try (PipelineFixture f = new PipelineFixture(settings(), stateDir)) {
            TestInputTopic<String, OutcomeEvent> outcomes = f.driver.createInputTopic(f.topics.outcomes().name(),
                    Serdes.String().serializer(), f.topics.outcomes().valueSerde().serializer());
            f.baselines.pipeInput(BaselineCodec.key("m", "1", OutcomeRate.CONVERSION.subject()),
                    RateBaseline.toAvro(OutcomeRate.CONVERSION, "m", "1", 1000, 100, "test", null, null, null),
                    Instant.EPOCH);
            // Every request has an impression and a click. Conversion baseline 0.1: good at >= 0.9 * 0.1.
            // Window:            0     1 (5 requests: not judged)  2     3     4
            // conversions/click  0.10  -                           0.05  0.08  0.10   good, bad, bad, good
            // negative feedback  0.20  -                           0.40  0.35  0.25   (good at <= 0.3)
            // success            0.80  -                           0.60  0.65  0.75   (good at >= 0.7)
            int[] requests = {100, 5, 100, 100, 100};
            int[] conversions = {10, 0, 5, 8, 10};
            int[] negative = {20, 0, 40, 35, 25};
            int[] successes = {80, 5, 60, 65, 75};
            for (int w = 0; w < requests.length; w++) {
                for (int i = 0; i < requests[w]; i++) {
                    String id = "w" + w + "-" + i;
                    long t = T0 + w * MINUTE + i * 400L;
                    InferenceEvent e = f.event("m", "1", t, Map.of(), Map.of(), null);
                    e.setRequestId(id);
                    f.send(e);
                    outcome(outcomes, id, OutcomeType.IMPRESSION, t + 100);
                    outcome(outcomes, id, OutcomeType.CLICK, t + 200);
                    if (i < conversions[w]) {
                        outcome(outcomes, id, OutcomeType.CONVERSION, t + 300);
                    }
                    outcome(outcomes, id, i < negative[w] ? OutcomeType.FEEDBACK_NEGATIVE
                            : OutcomeType.FEEDBACK_POSITIVE, t + 300);
                    outcome(outcomes, id, i < successes[w] ? OutcomeType.SUCCESS : OutcomeType.FAILURE, t + 350);
                }
            }
            InferenceEvent closing = f.event("m", "1", T0 + 8 * MINUTE, Map.of(), Map.of(), null);
            closing.setRequestId("close");
            f.send(closing);

            List<DriftAlert> alerts = f.readAlerts().stream().filter(a -> a.getSubjectKind() == SubjectKind.SLO)
                    .toList();
            // Each objective: window 2: 3m holds windows 0 and 2 (1 is not judged), 1 bad of 2: burn (1/2)/0.1 = 5 > 4
            // and 1m burns 10: FIRING. Window 3 still fires. Window 4 is good: 1m burns 0, RESOLVED, with 3m at
            // 2 bad of 3: (2/3)/0.1 = 6.67.
            for (String objective : List.of("slo.conversions", "slo.thumbs", "slo.resolved")) {
                List<DriftAlert> mine = alerts.stream().filter(a -> a.getSubject().equals(objective)).toList();
                assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                        mine.stream().map(DriftAlert::getState).toList(), objective);
                assertEquals(T0 + 2 * MINUTE, mine.get(0).getWindowStart().toEpochMilli(), objective);
                assertEquals(5.0, mine.get(0).getStatistic(), 1e-9, objective);
                assertEquals(2, mine.get(0).getCurrentSampleSize(), objective);
                assertEquals(T0 + 4 * MINUTE, mine.get(1).getWindowStart().toEpochMilli(), objective);
                assertEquals((2.0 / 3) / 0.1, mine.get(1).getStatistic(), 1e-9, objective);
            }
            assertEquals(6, alerts.size(), alerts.toString());
        }
    }

    @Test
    void shouldParseTheOutcomeObjectivesAndRefuseWrongBounds() {
        List<ServiceLevelObjective> all = ServiceLevelObjective.parseAll(
                "c:conversion.ratio>=0.9@0.99,f:feedback.negative<=0.2@0.95,s:success.rate>=0.8@0.95");
        assertEquals(List.of("c:conversion.ratio>=0.9@0.99", "f:feedback.negative<=0.2@0.95",
                "s:success.rate>=0.8@0.95"), all.stream().map(ServiceLevelObjective::text).toList());
        assertTrue(all.stream().allMatch(ServiceLevelObjective::needsBusiness));
        IllegalArgumentException op = assertThrows(IllegalArgumentException.class,
                () -> ServiceLevelObjective.parse("c:conversion.ratio<=0.9@0.99"));
        assertTrue(op.getMessage().contains("conversion.ratio>=BOUND"), op.getMessage());
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                () -> ServiceLevelObjective.parse("s:success.rate>=0.8"));
        assertTrue(target.getMessage().contains("@0.99"), target.getMessage());
        IllegalArgumentException bound = assertThrows(IllegalArgumentException.class,
                () -> ServiceLevelObjective.parse("f:feedback.negative<=1.5@0.9"));
        assertTrue(bound.getMessage().contains("[0, 1)"), bound.getMessage());
    }
}
