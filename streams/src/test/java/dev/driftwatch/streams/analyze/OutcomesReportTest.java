package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.OutcomeRate;
import dev.driftwatch.streams.business.RateBaseline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline analysis joins feedback and success outcomes and reports them against their baselines. */
class OutcomesReportTest {
    private static final long T0 = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();

    @Test
    void shouldReportTheSuccessRateAgainstItsBaselineAndLeaveTheTableOutWithoutSuchOutcomes() {
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(1));
        PipelineSettings settings = base.withSignals(base.signals().with(BusinessSettings.enabled(Duration.ofSeconds(10))
                .withOutcomeTests(new BusinessSettings.OutcomeTests(10, 0.1, 0.25, 0.01))));
        List<OutcomeEvent> outcomes = new ArrayList<>();
        List<InferenceEvent> events = new ArrayList<>();
        // 40 requests, 30 resolved (0.75) and 10 thumbs down of 40 (0.25), against a success baseline of 0.9.
        for (int i = 0; i < 40; i++) {
            long t = T0 + i * 1_000L;
            String id = "r" + i;
            events.add(InferenceEvent.newBuilder().setEventId("e" + i).setRequestId(id).setModelId("m")
                    .setModelVersion("1").setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(t))
                    .setNumericFeatures(Map.of()).setCategoricalFeatures(Map.of())
                    .setOutputs(ModelOutputs.newBuilder().setScore(null).setLabel(null).setConfidence(null).build())
                    .setLatencyMs(null).setTokensIn(null).setTokensOut(null).setCost(null).setErrorCode(null)
                    .setSegment(Map.of()).build());
            outcomes.add(outcome(id, i < 30 ? OutcomeType.SUCCESS : OutcomeType.FAILURE, t + 100));
            outcomes.add(outcome(id, i < 10 ? OutcomeType.FEEDBACK_NEGATIVE : OutcomeType.FEEDBACK_POSITIVE, t + 200));
        }
        OfflineAnalysis.Result r = OfflineAnalysis.run(settings,
                List.of(RateBaseline.toAvro(OutcomeRate.SUCCESS, "m", "1", 1000, 900, "test", null, null, null)),
                outcomes, sink -> events.forEach(sink));
        BusinessMetrics m = r.business().stream().filter(b -> b.getModelId().equals("m")).findFirst().orElseThrow();
        assertEquals(0.75, m.getSuccessRate(), 1e-12);
        assertEquals(0.9, m.getBaselineSuccessRate(), 1e-12);
        assertEquals(0.25, m.getNegativeFeedbackRate(), 1e-12);
        String html = HtmlReport.render(r, "outcomes");
        assertTrue(html.contains("<h2 id=\"outcomes\">Outcomes beyond CTR</h2>"), html);
        assertTrue(html.contains(dev.driftwatch.streams.report.ShortNumbers.percent(0.75)), html);
        assertTrue(AnalysisJson.render(r).contains("\"successRate\":{\"double\":0.75}"), AnalysisJson.render(r));

        OfflineAnalysis.Result none = OfflineAnalysis.run(settings, List.of(), List.of(),
                sink -> events.forEach(sink));
        assertFalse(HtmlReport.render(none, "outcomes").contains("Outcomes beyond CTR"));
    }

    private static OutcomeEvent outcome(String id, OutcomeType type, long t) {
        return OutcomeEvent.newBuilder().setRequestId(id).setType(type).setValue(null)
                .setEventTime(Instant.ofEpochMilli(t)).setAttributes(Map.of()).build();
    }
}
