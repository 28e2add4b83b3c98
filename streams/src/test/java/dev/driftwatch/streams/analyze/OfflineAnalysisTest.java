package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.SampleTraffic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OfflineAnalysisTest {
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(3, 100, 5, Duration.ofMinutes(1),
            Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 9);

    @Test
    void shouldCloseTheLastWindowWithoutCountingTheClosingEventAnywhere() {
        List<Baseline> baselines = SampleTraffic.baselines(9, 1000);
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1))
                .withGrace(Duration.ofSeconds(5)), baselines, sink -> SampleTraffic.events(PLAN, sink));
        assertEquals(600, r.events());
        assertEquals(PLAN.windows() * 2 * DemoRun.subjectsPerWindow(), r.stats().size());
        Set<Instant> starts = r.stats().stream().map(WindowStats::getWindowStart).collect(Collectors.toSet());
        assertEquals(PLAN.windows(), starts.size(), "every window closed, the last one included");
        for (WindowStats s : r.stats()) {
            assertTrue(s.getModelId().equals(DemoRun.MODEL), "only the traffic's model: " + s.getModelId());
            assertEquals(PLAN.eventsPerWindow(), s.getSampleSize() + s.getMissingCount(), s.toString());
        }
    }

    @Test
    void shouldCountEachWindowOnTheBaselineBinsAsThePipelineCountsIt() {
        List<Baseline> baselines = SampleTraffic.baselines(9, 1000);
        OfflineAnalysis.Result r = OfflineAnalysis.run(PipelineSettings.defaults(Duration.ofMinutes(1)), baselines,
                sink -> SampleTraffic.events(PLAN, sink));
        for (WindowStats s : r.stats()) {
            WindowHistograms.Counts c = r.histograms().get(s.getModelId(), s.getModelVersion(), s.getSubject(),
                    s.getWindowStart().toEpochMilli());
            Baseline b = r.histograms().baseline(s.getModelId(), s.getModelVersion(), s.getSubject());
            assertEquals(s.getSampleSize(), c.total(), s.getSubject());
            if (b.getKind() == FeatureKind.NUMERIC) {
                assertEquals(b.getBinEdges().size() + 1, c.bins().length);
            }
        }
    }
}
