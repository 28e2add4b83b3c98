package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.quality.QualitySettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The offline analysis with data quality on: a feature left out of one window, in the records and the report. */
class QualityReportTest {
    private static final long START = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(3, 400, 5, Duration.ofMinutes(1), START, 9);

    @Test
    void shouldReportAFeatureLeftOutOfOneWindowInItsOwnSection() {
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(1));
        PipelineSettings settings = base.withSignals(base.signals().with(QualitySettings.defaults()));
        OfflineAnalysis.Result r = OfflineAnalysis.run(settings, SampleTraffic.baselines(9, 1000), sink ->
                SampleTraffic.events(PLAN, (InferenceEvent e) -> {
                    long window = (e.getEventTime().toEpochMilli() - START) / 60_000;
                    if (window == 1) {
                        e.setNumericFeatures(new HashMap<>(e.getNumericFeatures()));
                        e.getNumericFeatures().remove("pages_viewed");
                    }
                    sink.accept(e);
                }));
        List<WindowStats> quality = r.stats().stream().filter(QualityTable::isQuality).toList();
        List<WindowStats> gone = quality.stream().filter(s -> s.getSubject().equals("pages_viewed")
                && s.getDataQuality().getAbsent()).toList();
        assertTrue(!gone.isEmpty(), "pages_viewed absent from window 1");
        gone.forEach(s -> assertEquals(START + 60_000, s.getWindowStart().toEpochMilli()));
        List<DriftAlert> alerts = r.alerts().stream().filter(a -> a.getSubjectKind() == SubjectKind.DATA_QUALITY)
                .toList();
        assertTrue(alerts.stream().allMatch(a -> a.getSubject().equals("pages_viewed")), alerts.toString());
        assertEquals(gone.size(), alerts.stream().filter(a -> a.getState() == AlertState.FIRING).count(),
                alerts.toString());
        String html = HtmlReport.render(r, "sample");
        assertTrue(html.contains("<h2 id=\"data-quality\">Data quality</h2>"), html);
        String section = html.substring(html.indexOf("id=\"data-quality\""));
        assertTrue(section.contains("<td>pages_viewed</td><td class=\"firing\">1 / 3</td><td>absent, missing_share</td>"),
                section);
        // The drift tables keep one row per subject: no data-quality record among them.
        String features = html.substring(0, html.indexOf("id=\"data-quality\""));
        assertTrue(!features.contains("DATA_QUALITY"), "no data-quality record in the drift tables");
    }
}
