package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.demo.DemoOutcomes;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.DemoTraffic;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.performance.LabelSignal;
import dev.driftwatch.streams.performance.PerformanceBaseline;
import dev.driftwatch.streams.performance.PerformanceSettings;
import dev.driftwatch.streams.performance.PerformanceSignal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The report's "Model performance" section on the demo's traffic with its score-following clicks: realized,
 * estimated and reference values per version and window, the drifted version's windows degraded after the drift
 * only; and why there is nothing when performance is off.
 */
class PerformanceReportTest {
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(4, 1500, 2, Duration.ofMinutes(1),
            Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 5);

    @Test
    void shouldShowRealizedEstimatedAndReferencePerformancePerVersionAndWindow() {
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5));
        PipelineSettings settings = base.withSignals(base.signals()
                .with(BusinessSettings.enabled(Duration.ofSeconds(30)))
                .with(PerformanceSettings.enabledWithDefaults())).withInputPartitions(1);
        List<Baseline> baselines = new ArrayList<>(SampleTraffic.baselines(5, 1000));
        for (String version : List.of(DemoRun.STABLE_VERSION, DemoRun.DRIFTING_VERSION)) {
            DemoTraffic training = new DemoTraffic(version.hashCode());
            double[] scores = new double[20_000];
            for (int i = 0; i < scores.length; i++) {
                scores[i] = (Double) training.row(false).get("output.score");
            }
            baselines.add(DemoOutcomes.training(scores, 3).performanceBaseline(DemoRun.MODEL, version, 100));
        }
        List<InferenceEvent> events = new ArrayList<>();
        List<OutcomeEvent> outcomes = new ArrayList<>();
        DemoOutcomes clicks = new DemoOutcomes(7);
        long driftFrom = PLAN.startMillis() + PLAN.driftFromWindow() * PLAN.windowSize().toMillis();
        SampleTraffic.events(PLAN, e -> {
            events.add(e);
            outcomes.addAll(clicks.scored(e, e.getModelVersion().equals(DemoRun.DRIFTING_VERSION)
                    && e.getEventTime().toEpochMilli() >= driftFrom));
        });
        outcomes.sort(Comparator.comparing(OutcomeEvent::getEventTime));
        OfflineAnalysis.Result r = OfflineAnalysis.run(settings, baselines, outcomes, sink -> events.forEach(sink));

        List<WindowStats> performance = r.stats().stream().filter(PerformanceTable::isPerformance).toList();
        assertFalse(performance.isEmpty());
        for (WindowStats s : performance) {
            boolean drifted = s.getModelVersion().equals(DemoRun.DRIFTING_VERSION)
                    && s.getWindowStart().toEpochMilli() >= driftFrom;
            if (!s.getInsufficientData()) {
                assertEquals(drifted, s.getDrifting(), s.toString());
            }
        }
        assertTrue(r.alerts().stream().anyMatch(a -> a.getSubject().equals(PerformanceSignal.AUC)
                && a.getModelVersion().equals(DemoRun.DRIFTING_VERSION)), r.alerts().toString());
        String html = HtmlReport.render(r, "performance");
        assertTrue(html.contains("<h2 id=\"performance\">Model performance</h2>"), html);
        assertTrue(html.contains("<b>degraded</b>"), html);
        assertTrue(html.contains("<th>ROC AUC realized (± bound)</th>"), html);
        assertFalse(html.contains("<td>*performance*</td>"), "not among the drift subjects");
        assertTrue(PerformanceBaseline.from(baselines.get(baselines.size() - 1)).isPresent());

        PipelineSettings off = base.withSignals(base.signals().with(BusinessSettings.enabled(Duration.ofSeconds(30))));
        String none = HtmlReport.render(OfflineAnalysis.run(off, baselines, outcomes, sink -> events.forEach(sink)),
                "off");
        assertTrue(none.contains("Not available: model performance is off"), none);
    }

    @Test
    void shouldShowLabelMetricsInThePerformanceSectionAndNotAmongTheDriftSubjects() {
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1));
        List<TestStatistic> values = List.of(labelled("accuracy", 0.68333), labelled("macro_f1", 0.61426),
                labelled("mae", 2.77), labelled("rmse", 3.56), labelled("bias", -0.0262));
        WindowStats labels = WindowStats.newBuilder().setModelId("clf").setModelVersion("1")
                .setSubject(LabelSignal.STATS_SUBJECT).setSubjectKind("performance")
                .setWindowStart(Instant.parse("2026-11-01T09:03:00Z"))
                .setWindowEnd(Instant.parse("2026-11-01T09:04:00Z"))
                .setBaselineId(null).setSampleSize(60).setMissingCount(1).setReferenceSampleSize(120)
                .setStatistics(values).setDrifting(true).setPolicyVersion(null).setLateEventsDropped(0)
                .setEvidence(null).setSequentialEvidence(null).setInsufficientData(false).build();
        OfflineAnalysis.Result r = new OfflineAnalysis.Result(settings, List.of(), 60, List.of(labels), List.of(),
                List.of(), new WindowHistograms(List.of()));

        assertTrue(PerformanceTable.isPerformance(labels));
        String html = HtmlReport.render(r, "labels");
        assertTrue(html.contains("<th>macro-F1</th>"), html);
        assertTrue(html.contains("<td>0.6833</td><td>0.6143</td><td>2.7700</td><td>3.5600</td><td>-0.0262</td>"), html);
        assertTrue(html.contains("<b>degraded</b>"), html);
        assertFalse(html.contains("<td>" + LabelSignal.STATS_SUBJECT + "</td>"), "not among the drift subjects");
    }

    private static TestStatistic labelled(String test, double value) {
        return TestStatistic.newBuilder().setTest(test).setValue(value).setPValue(null).setThreshold(null)
                .setOverThreshold(false).setErrorBound(null).setUndefinedReason(null).build();
    }
}
