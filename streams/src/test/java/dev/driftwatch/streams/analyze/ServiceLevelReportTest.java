package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline analysis's service levels against the exact values of the events it read, and their report. */
class ServiceLevelReportTest {
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(3, 400, 5, Duration.ofMinutes(1),
            Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 9);

    @Test
    void shouldReportEveryWindowsIndicatorsWithinTheBoundOfTheExactValues() {
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(1));
        PipelineSettings settings = base.withSignals(base.signals().with(
                ServiceLevelSettings.defaults().with("latency:latency.p95<=800@0.99,errors:error.rate<=0.01",
                        "1h/5m@14.4:CRITICAL,6h/30m@6:WARNING")));
        Map<String, List<InferenceEvent>> byWindow = new HashMap<>();
        OfflineAnalysis.Result r = OfflineAnalysis.run(settings, SampleTraffic.baselines(9, 1000), sink ->
                SampleTraffic.events(PLAN, (InferenceEvent e) -> {
                    long start = e.getEventTime().toEpochMilli() / 60_000 * 60_000;
                    byWindow.computeIfAbsent(e.getModelVersion() + "@" + start, k -> new ArrayList<>()).add(e);
                    sink.accept(e);
                }));
        assertEquals(byWindow.size(), r.serviceLevels().size(), "one record per window and model version");
        for (ServiceLevels s : r.serviceLevels()) {
            List<InferenceEvent> events = byWindow.get(s.getModelVersion() + "@" + s.getWindowStart().toEpochMilli());
            assertEquals(events.size(), s.getRequests());
            double[] latencies = events.stream().filter(e -> e.getLatencyMs() != null)
                    .mapToDouble(InferenceEvent::getLatencyMs).sorted().toArray();
            assertEquals(latencies.length, s.getLatencyCount());
            double[] estimates = {s.getLatencyP50Ms(), s.getLatencyP95Ms(), s.getLatencyP99Ms()};
            double[] qs = {0.5, 0.95, 0.99};
            for (int i = 0; i < qs.length; i++) {
                double exact = latencies[(int) Math.max(1, Math.ceil(qs[i] * latencies.length)) - 1];
                assertEquals(exact, estimates[i], exact * (s.getLatencyRelativeError() + 1e-12), "q=" + qs[i]);
            }
            long errors = events.stream().filter(e -> e.getErrorCode() != null).count();
            assertEquals(errors, s.getErrors());
            double cost = events.stream().filter(e -> e.getCost() != null).mapToDouble(InferenceEvent::getCost).sum();
            assertEquals(cost, s.getCost() == null ? 0.0 : s.getCost(), 1e-9);
        }
        String html = HtmlReport.render(r, "sample");
        assertTrue(html.contains("<h2>Operational SLIs</h2>"), html);
        assertTrue(html.contains("<code>latency:latency.p95&lt;=800@0.99</code>"), html);
        assertTrue(html.contains("latency p50 / p95 / p99 ms (±1.00 %)"), html);
        String json = AnalysisJson.render(r);
        assertTrue(json.contains("\"service_levels\":[\n{\"modelId\":"), json.substring(json.indexOf("service_levels")));
        assertTrue(json.contains("\"latencyP95Ms\":{\"double\":"), json);
        ServiceLevels first = r.serviceLevels().get(0);
        assertTrue(html.contains("<td>" + first.getRequests() + "</td>"), html);
    }

    @Test
    void shouldSayWhyThereAreNoIndicatorsWhenServiceLevelsAreOff() {
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1)),
                SampleTraffic.baselines(9, 1000), sink -> SampleTraffic.events(PLAN, sink));
        assertTrue(r.serviceLevels().isEmpty());
        assertTrue(!AnalysisJson.render(r).contains("service_levels"));
        assertTrue(HtmlReport.render(r, "sample").contains("Not available: service levels are off (set"
                + " slo.enabled=true)."));
    }
}
