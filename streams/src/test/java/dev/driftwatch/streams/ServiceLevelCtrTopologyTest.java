package dev.driftwatch.streams;

import dev.driftwatch.detectors.slo.BurnRateRule;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.CtrBaseline;
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
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CTR objective ({@code ctr.ratio}) on the whole topology with joined outcomes, with hand-computed
 * expectations. Windows of one minute; the version's CTR baseline is 500 clicks of 1000 impressions (0.5),
 * so a window is good when its CTR is at least 0.95 × 0.5 = 0.475.
 */
class ServiceLevelCtrTopologyTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private static PipelineSettings settings() {
        // Target 0.9 (budget 10 %, fastest burn 10); one rule 3m/1m@4; at least 2 judged windows over 3m.
        BusinessSettings business = BusinessSettings.enabled(Duration.ofSeconds(10)).withMinImpressions(10);
        ServiceLevelSettings slo = new ServiceLevelSettings(true,
                ServiceLevelObjective.parseAll("ctr:ctr.ratio>=0.95@0.9"), BurnRateRule.parseAll("3m/1m@4:CRITICAL"),
                2);
        return PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withSignals(Signals.none().with(business).with(slo));
    }

    /** {@code impressions} requests of a version with an impression in window w, the first {@code clicks} clicked. */
    private static void window(PipelineFixture f, TestInputTopic<String, OutcomeEvent> outcomes, String version,
                               int w, int impressions, int clicks) {
        for (int i = 0; i < impressions; i++) {
            String id = version + "-w" + w + "-" + i;
            long t = T0 + w * MINUTE + i * 400L;
            InferenceEvent e = f.event("m", version, t, Map.of(), Map.of(), null);
            e.setRequestId(id);
            f.send(e);
            outcome(outcomes, id, OutcomeType.IMPRESSION, t + 100);
            if (i < clicks) {
                outcome(outcomes, id, OutcomeType.CLICK, t + 200);
            }
        }
    }

    private static void outcome(TestInputTopic<String, OutcomeEvent> outcomes, String id, OutcomeType type, long t) {
        outcomes.pipeInput(id, OutcomeEvent.newBuilder().setRequestId(id).setType(type).setValue(null)
                .setEventTime(Instant.ofEpochMilli(t)).setAttributes(Map.of()).build(), t);
    }

    @Test
    void shouldJudgeWindowsOnTheirCtrAgainstTheBaselineAndSkipThinOrUnbaselinedOnes() {
        try (PipelineFixture f = new PipelineFixture(settings(), stateDir)) {
            TestInputTopic<String, OutcomeEvent> outcomes = f.driver.createInputTopic(f.topics.outcomes().name(),
                    Serdes.String().serializer(), f.topics.outcomes().valueSerde().serializer());
            f.baselines.pipeInput(BaselineCodec.key("m", "1", CtrBaseline.SUBJECT),
                    CtrBaseline.toAvro("m", "1", 1000, 500, "test:ctr", null, null, null), Instant.EPOCH);
            // Version 1: window 0 CTR 50/100 = 0.5 good; window 1 has 5 impressions (< 10): not judged; window 2
            // 40/100 = 0.4 bad; window 3 46/100 = 0.46 bad; window 4 48/100 = 0.48 good.
            // Version 2 has no CTR baseline: its windows (20 impressions, CTR 0) are not judged.
            int[] impressions = {100, 5, 100, 100, 100};
            int[] clicks = {50, 0, 40, 46, 48};
            for (int w = 0; w < impressions.length; w++) {
                window(f, outcomes, "2", w, 20, 0);
                window(f, outcomes, "1", w, impressions[w], clicks[w]);
            }
            InferenceEvent closing = f.event("m", "1", T0 + 8 * MINUTE, Map.of(), Map.of(), null);
            closing.setRequestId("close");
            f.send(closing);

            List<DriftAlert> alerts = f.readAlerts().stream()
                    .filter(a -> a.getSubjectKind() == SubjectKind.SLO).toList();
            // Window 2: 3m = windows 0..2, two judged (window 1 is not), 1 bad: burn (1 / 2) / 0.1 = 5 > 4 and
            // 1m burns 10: FIRING. Had window 1 counted as good, 3m would burn (1 / 3) / 0.1 = 3.33 and not fire.
            // Window 3: still firing. Window 4 is good: 1m burns 0, RESOLVED; 3m = windows 2..4, 2 bad of 3, 6.67.
            assertEquals(2, alerts.size(), alerts.toString());
            DriftAlert firing = alerts.get(0);
            assertEquals("slo.ctr", firing.getSubject());
            assertEquals("1", firing.getModelVersion());
            assertEquals(AlertState.FIRING, firing.getState());
            assertEquals(Severity.CRITICAL, firing.getSeverity());
            assertEquals(T0 + 2 * MINUTE, firing.getWindowStart().toEpochMilli());
            assertEquals(5.0, firing.getStatistic(), 1e-9);
            assertEquals(2, firing.getCurrentSampleSize(), "judged windows over 3m");
            assertEquals("slo:ctr:ctr.ratio>=0.95@0.9", firing.getBaselineId());
            // The SLO alert carries its window's CTR context, as drift alerts do.
            assertNotNull(firing.getBusinessContext());
            assertEquals(0.4, firing.getBusinessContext().getCurrentCtr(), 1e-12);
            assertEquals(0.5, firing.getBusinessContext().getBaselineCtr(), 1e-12);
            DriftAlert resolved = alerts.get(1);
            assertEquals(AlertState.RESOLVED, resolved.getState());
            assertEquals(T0 + 4 * MINUTE, resolved.getWindowStart().toEpochMilli());
            assertEquals((2.0 / 3) / 0.1, resolved.getStatistic(), 1e-9);
            assertEquals(0.48, resolved.getBusinessContext().getCurrentCtr(), 1e-12);
            assertTrue(alerts.stream().allMatch(a -> a.getModelVersion().equals("1")), "version 2 has no baseline");
        }
    }
}
