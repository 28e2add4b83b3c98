package dev.driftwatch.streams;

import dev.driftwatch.streams.ops.DriftwatchMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The processors' metrics, on the whole topology (TopologyTestDriver), as Prometheus shows them. */
class PipelineMetricsTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    @Test
    void shouldRecordNothingByDefault() {
        assertSame(PipelineMetrics.NONE, PipelineSettings.defaults(Duration.ofMinutes(1)).metrics());
        assertSame(PipelineMetrics.NONE, PipelineSettings.defaults(Duration.ofMinutes(1)).withMetrics(null).metrics());
    }

    @Test
    void shouldCountEventsDeadLettersLateEventsWindowsAndAlertsAndGaugeTheStatistics() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 10_000);
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withMetrics(metrics);
        Random r = new Random(7);
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 5000, 0));
            f.publishNumericBaseline("m", "1", "output.score", normal(r, 5000, 0.5));
            double[] shifts = {0, 2.0};
            for (int w = 0; w < shifts.length; w++) {
                double[] x = normal(r, 300, shifts[w]);
                for (int i = 0; i < x.length; i++) {
                    f.send(f.event("m", "1", T0 + w * MINUTE + i * 100, Map.of("x", x[i]), Map.of(), 0.5));
                }
            }
            f.rawEvents.pipeInput("bad".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
            f.send(f.event("m", "1", T0 + 3 * MINUTE, Map.of("x", 0.0), Map.of(), 0.5));
            f.send(f.event("m", "1", T0 + 10, Map.of("x", 0.0), Map.of(), 0.5)); // beyond grace: late
        }
        String text = registry.scrape();
        assertEquals(2 * 300 + 3, value(text, "driftwatch_events_in_total"), 0.0);
        assertEquals(2 * 300 + 2, value(text, "driftwatch_inference_events_total{model=\"m\",version=\"1\"}"), 0.0);
        assertEquals(1, value(text, "driftwatch_dead_letters_total{reason=\"WRONG_MAGIC_BYTE\"}"), 0.0);
        assertEquals(1, value(text, "driftwatch_late_events_total{model=\"m\",version=\"1\"}"), 0.0);
        assertEquals(2, value(text, "driftwatch_windows_evaluated_total{model=\"m\",version=\"1\"}"), 0.0);
        assertTrue(value(text, "driftwatch_drift_statistic{model=\"m\",subject=\"x\",test=\"psi\",version=\"1\"}") > 0.25);
        assertEquals(0.5, value(text, "driftwatch_window_mean{model=\"m\",subject=\"output.score\",version=\"1\"}"), 1e-12);
        assertEquals(1, value(text, "driftwatch_alert_firing{model=\"m\",subject=\"x\",version=\"1\"}"), 0.0);
        assertEquals(2, value(text, "driftwatch_alert_severity{model=\"m\",subject=\"x\",version=\"1\"}"), 0.0);
        // x, the constant output.score and the dataset fire
        assertEquals(3, value(text, "driftwatch_alerts_total{model=\"m\",severity=\"CRITICAL\",state=\"FIRING\",version=\"1\"}"), 0.0);
        assertEquals(1, value(text, "driftwatch_alert_firing{model=\"m\",subject=\"*dataset*\",version=\"1\"}"), 0.0);
        assertEquals(2 * 300 + 2, value(text, "driftwatch_inference_latency_ms_count{model=\"m\",version=\"1\"}"), 0.0);
        assertEquals(0, value(text, "driftwatch_metric_series_dropped_total"), 0.0);
    }

    @Test
    void shouldBoundTheSeriesAndCountTheDroppedOnes() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 5);
        for (int i = 0; i < 20; i++) {
            metrics.statistic("m", "1", "feature-" + i, "psi", i);
        }
        metrics.deadLetter("TRUNCATED"); // every reason's series exists from start-up, outside the bound: counted
        metrics.eventIn(); // fixed meters are always there
        assertEquals(15, metrics.droppedSeries());
        String text = registry.scrape();
        assertEquals(5, text.lines().filter(l -> l.startsWith("driftwatch_drift_statistic{model=\"m\"")).count());
        assertEquals(15, value(text, "driftwatch_metric_series_dropped_total"), 0.0);
        assertEquals(1, value(text, "driftwatch_events_in_total"), 0.0);
        assertEquals(1, value(text, "driftwatch_dead_letters_total{reason=\"TRUNCATED\"}"), 0.0);
        metrics.statistic("m", "1", "feature-0", "psi", 0.42); // an existing series still moves
        assertEquals(0.42, value(registry.scrape(),
                "driftwatch_drift_statistic{model=\"m\",subject=\"feature-0\",test=\"psi\",version=\"1\"}"), 0.0);
    }

    /** The value of the sample {@code series} (name and all labels, in Prometheus' order). */
    private static double value(String text, String series) {
        return text.lines().filter(l -> l.startsWith(series + " ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(series.length() + 1).trim().split(" ")[0]))
                .orElseThrow(() -> new AssertionError("no sample " + series + " in\n" + text.lines()
                        .filter(l -> l.startsWith("driftwatch_")).toList()));
    }

    private static double[] normal(Random r, int n, double shift) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian() + shift;
        }
        return v;
    }
}
