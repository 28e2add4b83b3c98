package dev.driftwatch.streams.ops;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Inference meters are cached per thread for the last few versions; counts and drops stay exact. */
class DriftwatchMetricsTest {
    @Test
    void countsEveryEventOfInterleavedVersionsOnItsOwnSeries() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 1000);
        // Twelve versions interleaved, each event on its own version's series.
        for (int round = 0; round < 5; round++) {
            for (int v = 0; v < 12; v++) {
                metrics.inference("m", "v" + v, 10.0 + v, v == 3, 7L, null, 0.5);
            }
        }
        for (int v = 0; v < 12; v++) {
            assertEquals(5, registry.get("driftwatch_inference_events").tags("model", "m", "version", "v" + v)
                    .functionCounter().count(), 0.0, "v" + v);
            assertEquals(35, registry.get("driftwatch_inference_tokens").tags("version", "v" + v, "direction", "in")
                    .functionCounter().count(), 0.0);
            assertEquals(5, registry.get("driftwatch_inference_latency_ms").tags("version", "v" + v).summary().count());
        }
        assertEquals(5, registry.get("driftwatch_inference_errors").tags("version", "v3").functionCounter().count(), 0.0);
        assertEquals(0, registry.find("driftwatch_inference_errors").tags("version", "v4").functionCounters().size());
    }

    @Test
    void countsEveryEventOfMoreVersionsThanAThreadKeeps() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 10_000);
        // 4,100 versions interleaved: a thread keeps the meters of 4,096, then forgets them all and finds them again.
        int versions = 4_100;
        for (int round = 0; round < 3; round++) {
            for (int v = 0; v < versions; v++) {
                metrics.inference("m", "v" + v, null, false, null, null, null);
            }
        }
        for (int v = 0; v < versions; v++) {
            assertEquals(3, registry.get("driftwatch_inference_events").tags("model", "m", "version", "v" + v)
                    .functionCounter().count(), 0.0, "v" + v);
        }
    }

    @Test
    void countsEveryDropPastTheSeriesBound() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 1);
        for (int i = 0; i < 4; i++) {
            metrics.inference("m", "a", null, false, null, null, null); // creates the one series allowed
            metrics.inference("m", "b", null, false, null, null, null); // dropped, every time
        }
        assertEquals(4, registry.get("driftwatch_inference_events").tags("version", "a").functionCounter().count(), 0.0);
        assertEquals(4, metrics.droppedSeries());
    }

    @Test
    void shouldWarnAboutDroppedSeriesOnceAMinuteWithTheirCount() {
        long[] now = {5_000_000_000L};
        List<String> lines = new ArrayList<>();
        DriftwatchMetrics metrics = new DriftwatchMetrics(new SimpleMeterRegistry(), 1, () -> now[0], lines::add);
        metrics.inference("m", "a", null, false, null, null, null); // the one series allowed
        for (int v = 0; v < 50_000; v++) {
            metrics.inference("m", "v" + v, null, false, null, null, null);
        }
        assertEquals(1, lines.size(), "the first drop only, within the minute: " + lines);
        now[0] += DriftwatchMetrics.WARN_INTERVAL_NANOS - 1;
        metrics.inference("m", "late", null, false, null, null, null);
        assertEquals(1, lines.size(), lines.toString());
        now[0] += 1;
        metrics.inference("m", "next", null, false, null, null, null);
        assertEquals(2, lines.size(), lines.toString());
        assertTrue(lines.get(1).contains(": 50001 new series dropped since the last warning, 50002 in all"), lines.get(1));
        assertEquals(50_002, metrics.droppedSeries());
    }

    @Test
    void shouldServeEveryDriftwatchSeriesThatDeployQueriesAtZeroBeforeFirstUse() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new DriftwatchMetrics(registry, 1000);
        String scrape = registry.scrape();
        int checked = 0;
        for (String name : OpsMetricNames.usedByDeploy()) {
            if (name.startsWith("driftwatch_")) {
                assertTrue(OpsMetricNames.isIn(scrape, name), name + " is queried by deploy/ but missing from a fresh"
                        + " instance's /metrics:\n" + scrape);
                checked++;
            }
        }
        assertTrue(checked >= 15, checked + " names");
        assertTrue(scrape.contains("driftwatch_dead_letters_total{reason=\"UNKNOWN_SCHEMA_ID\"} 0.0"), scrape);
        assertTrue(scrape.lines().filter(l -> l.startsWith("driftwatch_alert_severity")).allMatch(l -> l.endsWith(" 0.0")),
                "nothing fires at start-up");
    }

    @Test
    void shouldNotCountTheStartUpSeriesAgainstTheBound() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 1);
        metrics.lateEvent("m", "v");
        assertEquals(0, metrics.droppedSeries());
        assertEquals(1, registry.get("driftwatch_late_events").tags("model", "m").counter().count(), 0.0);
    }

    @Test
    void shouldCountTheEventsOfEveryThreadIncludingThreadsThatEnded() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        DriftwatchMetrics metrics = new DriftwatchMetrics(registry, 100);
        int threads = 4;
        int perThread = 25_000;
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                for (int i = 0; i < perThread; i++) {
                    metrics.eventIn();
                    metrics.inference("m", i % 2 == 0 ? "a" : "b", null, i % 5 == 0, 3L, null, 0.25);
                }
            });
            thread.start();
            started.add(thread);
        }
        for (Thread thread : started) {
            thread.join();
        }
        metrics.eventIn(); // and this thread's, which counts on
        assertEquals(1, metrics.eventsInCells(), "the cells of the threads that ended are folded into one sum");
        assertEquals(threads * perThread + 1, registry.get("driftwatch_events_in").functionCounter().count(), 0.0);
        assertEquals(threads * perThread / 2, registry.get("driftwatch_inference_events").tags("version", "a")
                .functionCounter().count(), 0.0);
        assertEquals(threads * perThread / 10, registry.get("driftwatch_inference_errors").tags("version", "a")
                .functionCounter().count(), 0.0);
        assertEquals(3.0 * threads * perThread / 2, registry.get("driftwatch_inference_tokens")
                .tags("version", "b", "direction", "in").functionCounter().count(), 0.0);
        assertEquals(0.25 * threads * perThread / 2, registry.get("driftwatch_inference_cost").tags("version", "b")
                .functionCounter().count(), 0.0);
        String text = registry.scrape();
        assertTrue(text.contains("# TYPE driftwatch_events_in_total counter"), text);
        assertTrue(text.contains("driftwatch_events_in_total " + (threads * perThread + 1) + ".0"), text);
        assertTrue(text.contains("driftwatch_inference_events_total{model=\"m\",version=\"b\"} "
                + (threads * perThread / 2) + ".0"), text);
    }
}
