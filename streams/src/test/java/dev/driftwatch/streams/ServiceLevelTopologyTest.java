package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.ops.DriftwatchMetrics;
import dev.driftwatch.streams.slo.ServiceLevelIndicator;
import dev.driftwatch.streams.slo.ServiceLevelObjective;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Service-level indicators and burn-rate alerts on the whole topology, with hand-computed expectations.
 * Windows of 5 minutes; the default objectives (p95 latency at most 800 ms in 99 % of windows, at most 1 %
 * of calls failing) and rules (1h/5m@14.4:CRITICAL, 6h/30m@6:WARNING).
 */
class ServiceLevelTopologyTest {
    private static final long FIVE_MINUTES = 300_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private static PipelineSettings settings() {
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(5));
        return base.withSignals(base.signals().with(ServiceLevelSettings.defaults()));
    }

    /** The value of one Prometheus sample line, e.g. {@code name{a="b"}}. */
    private static double sample(String scrape, String series) {
        for (String line : scrape.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no sample " + series + " in:\n" + scrape);
    }

    private static TestOutputTopic<String, ServiceLevels> levels(PipelineFixture f) {
        return f.driver.createOutputTopic(f.topics.serviceLevels().name(), Serdes.String().deserializer(),
                f.topics.serviceLevels().valueSerde().deserializer());
    }

    /** A call with the given operational values (null for none). */
    private static InferenceEvent call(PipelineFixture f, long time, Double latency, boolean error, Long tokensIn,
                                       Long tokensOut, Double cost, Double confidence) {
        InferenceEvent e = f.event("m", "1", time, Map.of(), Map.of(), null);
        e.setOutputs(ModelOutputs.newBuilder().setScore(null).setLabel(null).setConfidence(confidence).build());
        e.setLatencyMs(latency);
        e.setErrorCode(error ? "UPSTREAM_TIMEOUT" : null);
        e.setTokensIn(tokensIn);
        e.setTokensOut(tokensOut);
        e.setCost(cost);
        return e;
    }

    @Test
    void shouldPublishTheIndicatorsOfAWindow() {
        try (PipelineFixture f = new PipelineFixture(settings(), stateDir)) {
            TestOutputTopic<String, ServiceLevels> out = levels(f);
            // Calls i = 1..20: latency 10·i ms, errors at i = 5, 10, 15, 20, tokens in 100 + i and out 2i, a cost of
            // 0.001·i on even i, confidence 0.04·i; then one call with nothing but an error.
            for (int i = 1; i <= 20; i++) {
                f.send(call(f, T0 + i * 1000L, 10.0 * i, i % 5 == 0, 100L + i, 2L * i,
                        i % 2 == 0 ? 0.001 * i : null, 0.04 * i));
            }
            f.send(call(f, T0 + 30_000, null, true, null, null, null, null));
            f.send(call(f, T0 + 2 * FIVE_MINUTES, 12.0, false, null, null, null, null)); // closes the window
            List<KeyValue<String, ServiceLevels>> records = out.readKeyValuesToList();
            assertEquals(1, records.size(), records.toString());
            assertEquals("m/1", records.get(0).key);
            ServiceLevels s = records.get(0).value;
            assertEquals(T0, s.getWindowStart().toEpochMilli());
            assertEquals(T0 + FIVE_MINUTES, s.getWindowEnd().toEpochMilli());
            assertEquals("*", s.getSegment());
            assertEquals(21, s.getRequests());
            assertEquals(5, s.getErrors());
            assertEquals(5.0 / 21, s.getErrorRate(), 1e-12);
            assertEquals(20, s.getLatencyCount());
            assertEquals(0.01, s.getLatencyRelativeError(), 0.0);
            // Exact order statistics of 10, 20, ..., 200: p50 = 10th = 100, p95 = 19th = 190, p99 = 20th = 200.
            assertEquals(100, s.getLatencyP50Ms(), 100 * 0.01);
            assertEquals(190, s.getLatencyP95Ms(), 190 * 0.01);
            assertEquals(200, s.getLatencyP99Ms(), 200 * 0.01);
            assertEquals(20 * 100 + 210, s.getTokensIn());
            assertEquals(420, s.getTokensOut());
            // 0.001 · (2 + 4 + ... + 20) = 0.110 over 10 calls with a cost.
            assertEquals(0.110, s.getCost(), 1e-12);
            assertEquals(0.011, s.getCostPerRequest(), 1e-12);
            // 0.04·i < 0.5 for i = 1..12.
            assertEquals(20, s.getConfidenceCount());
            assertEquals(12, s.getLowConfidenceCount());
            assertEquals(0.6, s.getLowConfidenceShare(), 1e-12);
            assertEquals(0.5, s.getLowConfidenceThreshold(), 0.0);
            // With no earlier window, 1h and 5m both hold this one: 5 of 21 calls failed, burn (5 / 21) / 0.01
            // = 23.8 > 14.4 on both, but 21 calls are fewer than slo.min.events (100): no page on so few calls.
            // p95 = 190 ms meets the latency objective anyway.
            assertTrue(f.readAlerts().isEmpty());
        }
    }

    @Test
    void shouldNotPageOnOneFailedCallOfAFirstWindow() {
        // One failing call: burn 1 / 0.01 = 100 over 1h and 5m. With the default minimum of 100 calls over the
        // long window nothing fires; with a minimum of 1 the CRITICAL rule fires on that single call.
        try (PipelineFixture f = new PipelineFixture(settings(), stateDir.resolve("a"))) {
            f.send(call(f, T0 + 1000, 12.0, true, null, null, null, null));
            f.send(call(f, T0 + 2 * FIVE_MINUTES, 12.0, false, null, null, null, null));
            assertTrue(f.readAlerts().isEmpty());
        }
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(5));
        PipelineSettings one = base.withSignals(base.signals().with(ServiceLevelSettings.defaults()
                .withMinEvents(1)));
        try (PipelineFixture f = new PipelineFixture(one, stateDir.resolve("b"))) {
            f.send(call(f, T0 + 1000, 12.0, true, null, null, null, null));
            f.send(call(f, T0 + 2 * FIVE_MINUTES, 12.0, false, null, null, null, null));
            List<DriftAlert> alerts = f.readAlerts();
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals(dev.driftwatch.schemas.avro.Severity.CRITICAL, alerts.get(0).getSeverity());
            assertEquals(100.0, alerts.get(0).getStatistic(), 1e-9);
        }
    }

    /**
     * Runs windows of calls: {@code ok[w]} good calls and {@code bad[w]} failing calls in window w, then one
     * call two windows later that closes the last window.
     */
    private static void traffic(PipelineFixture f, int[] ok, int[] bad) {
        for (int w = 0; w < ok.length; w++) {
            int n = ok[w] + bad[w];
            for (int i = 0; i < n; i++) {
                long time = T0 + w * FIVE_MINUTES + i * (FIVE_MINUTES / n);
                f.send(call(f, time, 12.0, i < bad[w], null, null, null, null));
            }
        }
        f.send(call(f, T0 + (ok.length + 1) * FIVE_MINUTES, 12.0, false, null, null, null, null));
    }

    private static int[] filled(int windows, int value) {
        int[] a = new int[windows];
        java.util.Arrays.fill(a, value);
        return a;
    }

    private static List<DriftAlert> burst(Path dir) {
        return burst(dir, PipelineMetrics.NONE);
    }

    private static List<DriftAlert> burst(Path dir, PipelineMetrics metrics) {
        // 20 good calls per window; window 10 has 200 failing calls.
        int[] ok = filled(20, 20);
        int[] bad = new int[20];
        bad[10] = 200;
        try (PipelineFixture f = new PipelineFixture(settings().withMetrics(metrics), dir)) {
            traffic(f, ok, bad);
            assertEquals(20, levels(f).readValuesToList().size(), "one ServiceLevels per window");
            return f.readAlerts();
        }
    }

    @Test
    void shouldFireOnABurstOfErrorsAndResolveAfterRecovery() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        List<DriftAlert> alerts = burst(stateDir.resolve("a"), new DriftwatchMetrics(registry, 1000));
        assertEquals(2, alerts.size(), alerts.toString());
        DriftAlert firing = alerts.get(0);
        assertEquals(AlertState.FIRING, firing.getState());
        assertEquals(SubjectKind.SLO, firing.getSubjectKind());
        assertEquals(dev.driftwatch.schemas.avro.DriftTest.BURN_RATE, firing.getTest());
        assertEquals("slo.errors", firing.getSubject());
        assertEquals(dev.driftwatch.schemas.avro.Severity.CRITICAL, firing.getSeverity());
        assertEquals(T0 + 10 * FIVE_MINUTES, firing.getWindowStart().toEpochMilli());
        // 1h = windows 0..10 (nothing before window 0): 200 bad of 10·20 + 220 = 420 calls; 5m: 200 of 220.
        assertEquals(420, firing.getCurrentSampleSize());
        assertEquals((200.0 / 420) / 0.01, firing.getStatistic(), 1e-9);
        assertEquals(14.4, firing.getThreshold(), 0.0);
        assertEquals("1h/5m@14.4:CRITICAL,6h/30m@6:WARNING", firing.getPolicyVersion());
        assertTrue(firing.getSummary().contains("SLO errors (errors:error.rate<=0.01)"), firing.getSummary());
        assertTrue(firing.getSummary().contains("rule 1h/5m@14.4:CRITICAL fires, burn rate 47.62 over 1h and"
                + " 90.91 over 5m (factor 14.4)"), firing.getSummary());
        assertTrue(firing.getSummary().contains("200 of 420 bad over 1h against an error budget of 1.000 % bad"),
                firing.getSummary());
        // The 5m window clears at window 11, but 6h/30m@6 burns on until window 10 leaves the 30 minutes:
        // at window 15 the 30m window (10..15) still holds it; at window 16 (11..16) it is clean.
        DriftAlert resolved = alerts.get(1);
        assertEquals(AlertState.RESOLVED, resolved.getState());
        assertEquals(T0 + 16 * FIVE_MINUTES, resolved.getWindowStart().toEpochMilli());
        assertEquals(dev.driftwatch.schemas.avro.Severity.CRITICAL, resolved.getSeverity());
        // The firing rule now: 1h = windows 5..16, 200 bad of 11·20 + 220 = 440.
        assertEquals(440, resolved.getCurrentSampleSize());
        assertEquals((200.0 / 440) / 0.01, resolved.getStatistic(), 1e-9);
        assertTrue(resolved.getSummary().startsWith("RESOLVED CRITICAL SLO errors"), resolved.getSummary());
        assertNotEquals(firing.getAlertId(), resolved.getAlertId());
        // The gauges after the last window (19): 1h = windows 8..19, 200 bad of 11·20 + 220 = 440;
        // 6h = windows 0..19, 200 of 19·20 + 220 = 600; 5m and 30m are clean.
        String scrape = registry.scrape();
        String series = "driftwatch_slo_burn_rate{model=\"m\",slo=\"slo.errors\",version=\"1\",window=\"%s\"}";
        assertEquals((200.0 / 440) / 0.01, sample(scrape, String.format(series, "1h")), 1e-9);
        assertEquals((200.0 / 600) / 0.01, sample(scrape, String.format(series, "6h")), 1e-9);
        assertEquals(0.0, sample(scrape, String.format(series, "5m")), 0.0);
        assertEquals(0.0, sample(scrape, String.format(series, "30m")), 0.0);
        assertEquals(0.0, sample(scrape, "driftwatch_alert_firing{model=\"m\",subject=\"slo.errors\",version=\"1\"}"),
                0.0);
        // The same input gives the same alerts, ids included.
        List<DriftAlert> again = burst(stateDir.resolve("b"));
        assertEquals(alerts, again);
    }

    @Test
    void shouldNotAlertOnABlipThatOnlyTripsTheShortWindow() {
        // Window 11 has 4 failing calls of 20: 1h burns (4 / 240) / 0.01 = 1.67, 5m burns 20 > 14.4;
        // 6h burns 1.67 and 30m (4 / 120) / 0.01 = 3.33 < 6.
        int[] ok = filled(14, 20);
        int[] bad = new int[14];
        ok[11] = 16;
        bad[11] = 4;
        try (PipelineFixture f = new PipelineFixture(settings(), stateDir)) {
            traffic(f, ok, bad);
            List<ServiceLevels> windows = levels(f).readValuesToList();
            assertEquals(14, windows.size());
            assertEquals(0.2, windows.get(11).getErrorRate(), 1e-12);
            assertTrue(f.readAlerts().isEmpty());
        }
    }

    @Test
    void shouldAlertOnSlowWindowsOfTheLatencyObjective() {
        // p95 <= 800 ms in 99 % of windows; a slow window (every call 2 s) is one bad window. Windows 0..9 fast,
        // 10 and 11 slow: 1h = 2 bad of 12 windows, burn (2 / 12) / 0.01 = 16.67 > 14.4, 5m burn 100.
        // The objective is window-based: slo.min.events = 11 windows (below the 12 of 1h and 72 of 6h).
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(5));
        PipelineSettings eleven = base.withSignals(base.signals().with(ServiceLevelSettings.defaults()
                .withMinEvents(11)));
        try (PipelineFixture f = new PipelineFixture(eleven, stateDir)) {
            for (int w = 0; w < 12; w++) {
                for (int i = 0; i < 20; i++) {
                    f.send(call(f, T0 + w * FIVE_MINUTES + i * 1000L, w >= 10 ? 2000.0 : 30.0, false, null, null,
                            null, null));
                }
            }
            f.send(call(f, T0 + 13 * FIVE_MINUTES, 30.0, false, null, null, null, null));
            List<DriftAlert> alerts = f.readAlerts();
            // Window 10 alone: 1h = 1 bad of 11, burn 9.09 (below 14.4); 6h burn 9.09 > 6 and 30m = 1 of 6,
            // burn 16.67 > 6: the WARNING rule fires first, at window 10. At window 11 the CRITICAL rule fires too
            // (16.67 and 100): the alert is raised to CRITICAL with a FIRING of its own.
            assertEquals(2, alerts.size(), alerts.toString());
            DriftAlert a = alerts.get(0);
            assertEquals("slo.latency", a.getSubject());
            assertEquals(AlertState.FIRING, a.getState());
            assertEquals(dev.driftwatch.schemas.avro.Severity.WARNING, a.getSeverity());
            assertEquals(T0 + 10 * FIVE_MINUTES, a.getWindowStart().toEpochMilli());
            assertEquals((1.0 / 11) / 0.01, a.getStatistic(), 1e-9);
            assertEquals(6.0, a.getThreshold(), 0.0);
            assertEquals(11, a.getCurrentSampleSize(), "windows judged over 6h");
            DriftAlert raised = alerts.get(1);
            assertEquals("slo.latency", raised.getSubject());
            assertEquals(AlertState.FIRING, raised.getState());
            assertEquals(dev.driftwatch.schemas.avro.Severity.CRITICAL, raised.getSeverity());
            assertEquals(T0 + 11 * FIVE_MINUTES, raised.getWindowStart().toEpochMilli());
            assertEquals((2.0 / 12) / 0.01, raised.getStatistic(), 1e-9);
            assertEquals(14.4, raised.getThreshold(), 0.0);
            assertEquals(12, raised.getCurrentSampleSize(), "windows judged over 1h");
            assertTrue(raised.getSummary().endsWith("; raised from WARNING"), raised.getSummary());
            assertNotEquals(a.getAlertId(), raised.getAlertId());
        }
    }

    @Test
    void shouldRaiseToCriticalAndResolveOnceWithoutAnAlertWhenTheSeverityFallsBack() {
        // 100 calls per window. Window 0: 10 bad: 1h and 5m burn 10 (< 14.4), 6h and 30m 10 (> 6): WARNING.
        // Window 1: 30 bad: 1h = 40 of 200, burn 20, 5m 30: CRITICAL, raised. Window 2: 10 bad: 5m burns 10, the
        // CRITICAL rule stops but the WARNING one still fires (6h = 30m = 50 of 300, 16.67): nothing sent.
        // Windows 3..7 clean: 30m = 50 of 400 (12.5), 500 (10), 600 (8.33), then windows 1..6 = 40 of 600 (6.67),
        // and at window 7 windows 2..7 = 10 of 600 (1.67): no rule fires, RESOLVED at the CRITICAL last sent,
        // with the 1h/5m rule's burn: 1h = windows 0..7, 50 of 800, 6.25.
        int[] bad = {10, 30, 10, 0, 0, 0, 0, 0};
        int[] ok = new int[bad.length];
        for (int w = 0; w < bad.length; w++) {
            ok[w] = 100 - bad[w];
        }
        try (PipelineFixture f = new PipelineFixture(settings(), stateDir)) {
            traffic(f, ok, bad);
            List<DriftAlert> alerts = f.readAlerts();
            assertEquals(3, alerts.size(), alerts.toString());
            DriftAlert warning = alerts.get(0);
            assertEquals(AlertState.FIRING, warning.getState());
            assertEquals(dev.driftwatch.schemas.avro.Severity.WARNING, warning.getSeverity());
            assertEquals(T0, warning.getWindowStart().toEpochMilli());
            assertEquals(10.0, warning.getStatistic(), 1e-9);
            assertEquals(100, warning.getCurrentSampleSize());
            DriftAlert critical = alerts.get(1);
            assertEquals(AlertState.FIRING, critical.getState());
            assertEquals(dev.driftwatch.schemas.avro.Severity.CRITICAL, critical.getSeverity());
            assertEquals(T0 + FIVE_MINUTES, critical.getWindowStart().toEpochMilli());
            assertEquals(20.0, critical.getStatistic(), 1e-9);
            assertEquals(200, critical.getCurrentSampleSize());
            DriftAlert resolved = alerts.get(2);
            assertEquals(AlertState.RESOLVED, resolved.getState());
            assertEquals(dev.driftwatch.schemas.avro.Severity.CRITICAL, resolved.getSeverity());
            assertEquals(T0 + 7 * FIVE_MINUTES, resolved.getWindowStart().toEpochMilli());
            assertEquals(6.25, resolved.getStatistic(), 1e-9);
            assertEquals(800, resolved.getCurrentSampleSize());
            assertEquals(3, alerts.stream().map(DriftAlert::getAlertId).distinct().count());
        }
    }

    @Test
    void shouldRefuseHoppingWindows() {
        // Windows of 10 minutes every 5: each call would count in two windows of the burn-rate history.
        PipelineSettings hopping = new PipelineSettings("driftwatch", Duration.ofMinutes(10), Duration.ofMinutes(5),
                Duration.ZERO, "region", 1000, 1024, Duration.ofDays(1), 1,
                dev.driftwatch.detectors.policy.AlertPolicy.defaults());
        PipelineSettings withSlo = hopping.withSignals(hopping.signals().with(
                ServiceLevelSettings.defaults()));
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new dev.driftwatch.streams.slo.ServiceLevelJudge(withSlo, null));
        assertTrue(e.getMessage().contains("window.advance.ms=300000 is shorter than window.size.ms=600000"),
                e.getMessage());
        assertTrue(e.getMessage().contains("set window.advance.ms=0 (tumbling) or set slo.enabled=false"),
                e.getMessage());
    }

    @Test
    void shouldJudgeEachSegmentOnItsOwn() {
        // Windows of 5 minutes, split by region. Calls at minutes 1..4: 10 failing in eu, 10 good in us; with
        // slo.min.events = 10 each segment's 10 calls are enough.
        PipelineSettings base = new PipelineSettings("driftwatch", Duration.ofMinutes(5), Duration.ofMinutes(5),
                Duration.ZERO, "region", 1000, 1024, Duration.ofDays(1), 1,
                dev.driftwatch.detectors.policy.AlertPolicy.defaults());
        PipelineSettings segmented = base.withSignals(base.signals().with(ServiceLevelSettings.defaults()
                .withMinEvents(10)));
        try (PipelineFixture f = new PipelineFixture(segmented, stateDir)) {
            TestOutputTopic<String, ServiceLevels> out = levels(f);
            for (int i = 0; i < 20; i++) {
                InferenceEvent e = call(f, T0 + 60_000 + i * 9_000L, 12.0, i % 2 == 0, null, null, null, null);
                e.setSegment(Map.of("region", i % 2 == 0 ? "eu" : "us"));
                f.send(e);
            }
            InferenceEvent closing = call(f, T0 + 3 * FIVE_MINUTES, 12.0, false, null, null, null, null);
            closing.setSegment(Map.of("region", "us"));
            f.send(closing);
            List<KeyValue<String, ServiceLevels>> records = out.readKeyValuesToList();
            assertEquals(2, records.size(), records.toString());
            for (KeyValue<String, ServiceLevels> kv : records) {
                boolean eu = kv.value.getSegment().equals("eu");
                assertEquals(eu ? "m/1@eu" : "m/1@us", kv.key);
                assertEquals(10, kv.value.getRequests());
                assertEquals(eu ? 10 : 0, kv.value.getErrors());
                assertEquals(T0, kv.value.getWindowStart().toEpochMilli());
            }
            // eu: every call fails, burn 1 / 0.01 = 100 over 1h and 5m; us is clean.
            List<KeyValue<String, DriftAlert>> alerts = f.alerts.readKeyValuesToList();
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals("m/1/slo.errors@eu", alerts.get(0).key);
            DriftAlert a = alerts.get(0).value;
            assertEquals("slo.errors@eu", a.getSubject());
            assertEquals(AlertState.FIRING, a.getState());
            assertEquals(T0, a.getWindowStart().toEpochMilli());
            assertEquals(100.0, a.getStatistic(), 1e-9);
            assertTrue(a.getSummary().contains(" of m/1 segment eu: "), a.getSummary());
        }
    }

    @Test
    void shouldJudgeAnObjectiveOnAnyIndicatorPluggedIn() {
        // The extension point (e.g. for a CTR objective): an indicator of our own, a window is good with at
        // least 5 calls; target 0.9, so the budget is 10 % and the fastest burn 10; rule 15m/5m@5.
        ServiceLevelIndicator busy = new ServiceLevelIndicator() {
            @Override
            public Counts measure(dev.driftwatch.streams.internals.WindowBundle window, Context context) {
                return Counts.window(window.events() >= 5);
            }

            @Override
            public dev.driftwatch.detectors.slo.BurnRates.Counting counting() {
                return dev.driftwatch.detectors.slo.BurnRates.Counting.WINDOWS;
            }

            @Override
            public String text() {
                return "calls>=5";
            }
        };
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(5));
        PipelineSettings custom = base.withSignals(base.signals().with(new ServiceLevelSettings(true,
                List.of(new ServiceLevelObjective("busy", busy, 0.9)),
                List.of(dev.driftwatch.detectors.slo.BurnRateRule.parse("15m/5m@5:WARNING")))));
        try (PipelineFixture f = new PipelineFixture(custom, stateDir)) {
            traffic(f, new int[] {10, 10, 2, 2, 10}, new int[5]);
            List<DriftAlert> alerts = f.readAlerts();
            // Window 2: 15m = 1 bad of 3 windows, burn (1 / 3) / 0.1 = 3.33 <= 5. Window 3: 2 of 3, burn 6.67,
            // and 5m burns 10: FIRING. Window 4 is good: 5m burns 0, RESOLVED (15m still 6.67).
            assertEquals(2, alerts.size(), alerts.toString());
            assertEquals(AlertState.FIRING, alerts.get(0).getState());
            assertEquals("slo.busy", alerts.get(0).getSubject());
            assertEquals(T0 + 3 * FIVE_MINUTES, alerts.get(0).getWindowStart().toEpochMilli());
            assertEquals((2.0 / 3) / 0.1, alerts.get(0).getStatistic(), 1e-9);
            assertEquals(dev.driftwatch.schemas.avro.Severity.WARNING, alerts.get(0).getSeverity());
            assertEquals(AlertState.RESOLVED, alerts.get(1).getState());
            assertEquals(T0 + 4 * FIVE_MINUTES, alerts.get(1).getWindowStart().toEpochMilli());
            assertEquals((2.0 / 3) / 0.1, alerts.get(1).getStatistic(), 1e-9);
            assertEquals("slo:busy:calls>=5@0.9", alerts.get(0).getBaselineId());
        }
    }

    private static void control(PipelineFixture f, dev.driftwatch.schemas.avro.CommandType type, String id, long time) {
        ControlCommand c = ControlCommand.newBuilder().setCommandId(id).setType(type)
                .setIssuedAt(Instant.ofEpochMilli(time)).setIssuedBy("test").setModelId("m").setModelVersion("1")
                .setSubject("slo.errors").setFrom(null).setTo(null).setPolicyVersion(null)
                .setParameters(new java.util.HashMap<>()).setReason("test").build();
        f.control.pipeInput(id, c, Instant.ofEpochMilli(time));
        assertEquals(dev.driftwatch.schemas.avro.CommandStatus.ACCEPTED,
                f.controlResults.readValuesToList().get(0).getStatus());
    }

    @Test
    void shouldKeepTheStateOfAMutedObjectiveAndShowItsResolution() {
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(5));
        PipelineSettings fast = base.withSignals(base.signals().with(ServiceLevelSettings.defaults()
                .with(ServiceLevelSettings.DEFAULT_OBJECTIVES, "1h/5m@14.4:CRITICAL").withMinEvents(10)));
        try (PipelineFixture f = new PipelineFixture(fast, stateDir)) {
            control(f, dev.driftwatch.schemas.avro.CommandType.MUTE, "mute", T0);
            for (int i = 0; i < 10; i++) {
                f.send(call(f, T0 + i * 1000L, 12.0, true, null, null, null, null));
            }
            f.send(call(f, T0 + FIVE_MINUTES, 12.0, false, null, null, null, null)); // closes window 0: fires
            assertTrue(f.readAlerts().isEmpty(), "muted");
            control(f, dev.driftwatch.schemas.avro.CommandType.UNMUTE, "unmute", T0 + FIVE_MINUTES);
            for (int i = 1; i < 10; i++) {
                f.send(call(f, T0 + FIVE_MINUTES + i * 1000L, 12.0, false, null, null, null, null));
            }
            f.send(call(f, T0 + 2 * FIVE_MINUTES, 12.0, false, null, null, null, null)); // closes window 1
            // Window 1 is clean: 5m burns 0, so the rule stops firing; the FIRING kept while muted resolves.
            List<DriftAlert> alerts = f.readAlerts();
            assertEquals(1, alerts.size(), alerts.toString());
            assertEquals(AlertState.RESOLVED, alerts.get(0).getState());
            assertEquals("slo.errors", alerts.get(0).getSubject());
            assertEquals((10.0 / 20) / 0.01, alerts.get(0).getStatistic(), 1e-9, "1h: 10 bad of 20 calls");
        }
    }

    @Test
    void shouldPublishNothingWhenServiceLevelsAreDisabled() {
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(5)), stateDir)) {
            TestOutputTopic<String, ServiceLevels> out = levels(f);
            f.send(call(f, T0, 5000.0, true, null, null, null, null));
            f.send(call(f, T0 + 2 * FIVE_MINUTES, 12.0, false, null, null, null, null));
            assertTrue(out.isEmpty());
            assertTrue(f.readAlerts().isEmpty());
        }
    }
}
