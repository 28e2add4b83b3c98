package dev.driftwatch.streams;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.app.DriftwatchTopology;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftwatchTopologyTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private static double[] normal(Random r, int n, double shift) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextGaussian() + shift;
        }
        return out;
    }

    private static String[] colours(Random r, int n, double redShare) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = r.nextDouble() < redShare ? "red" : (r.nextBoolean() ? "green" : "blue");
        }
        return out;
    }

    private static WindowStats find(List<WindowStats> stats, String subject, long windowStart) {
        return stats.stream()
                .filter(s -> s.getSubject().equals(subject) && s.getWindowStart().toEpochMilli() == windowStart)
                .findFirst().orElseThrow(() -> new AssertionError("no stats for " + subject + " at " + windowStart));
    }

    /** The window at which evidence has been below the default resolve level 2.0 for three judged windows. */
    private static int thirdQuietWindow(List<WindowStats> stats, String subject, int from) {
        int quiet = 0;
        for (int w = from; ; w++) {
            WindowStats s = find(stats, subject, T0 + w * MINUTE);
            quiet = s.getEvidence() < 2.0 ? quiet + 1 : 0;
            if (quiet == 3) {
                return w;
            }
        }
    }

    private static Double stat(WindowStats s, String test) {
        for (TestStatistic t : s.getStatistics()) {
            if (t.getTest().equals(test)) {
                return t.getValue();
            }
        }
        return null;
    }

    @Test
    void shouldFireOnceWhenAFeatureDriftsAndResolveOnceWhenItReturns() {
        Random r = new Random(1);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 5000, 0));
            f.publishCategoricalBaseline("m", "1", "colour", colours(r, 5000, 0.3));
            f.publishNumericBaseline("m", "1", "output.score", normal(r, 5000, 0.5));
            double[] shifts = {0, 1.5, 1.5, 0, 0, 0, 0};
            for (int w = 0; w < shifts.length; w++) {
                double[] x = normal(r, 400, shifts[w]);
                String[] c = colours(r, 400, 0.3);
                double[] score = normal(r, 400, 0.5);
                for (int i = 0; i < x.length; i++) {
                    f.send(f.event("m", "1", T0 + w * MINUTE + i * 100, Map.of("x", x[i]), Map.of("colour", c[i]),
                            score[i]));
                }
            }
            // One event in a later window closes the last one.
            f.send(f.event("m", "1", T0 + 9 * MINUTE, Map.of("x", 0.0), Map.of("colour", "red"), 0.5));
            List<WindowStats> stats = f.readStats();
            List<DriftAlert> all = f.readAlerts();
            List<DriftAlert> alerts = all.stream().filter(a -> a.getSubject().equals("x")).toList();
            List<DriftAlert> dataset = all.stream().filter(a -> a.getSubject().equals("*dataset*")).toList();
            assertEquals(3 * shifts.length, stats.size(), "one WindowStats per subject and window");
            for (int w = 0; w < shifts.length; w++) {
                WindowStats x = find(stats, "x", T0 + w * MINUTE);
                assertEquals(400, x.getSampleSize());
                if (shifts[w] > 0 || w == 0 || w == shifts.length - 1) {
                    // Right after the change the sequential evidence may still carry it for a window or two.
                    assertEquals(shifts[w] > 0, x.getDrifting(), "window " + w);
                }
                assertFalse(find(stats, "colour", T0 + w * MINUTE).getDrifting(), "colour window " + w);
                assertFalse(find(stats, "output.score", T0 + w * MINUTE).getDrifting(), "score window " + w);
            }
            assertEquals(2, alerts.size(), alerts.toString());
            DriftAlert firing = alerts.get(0);
            assertEquals(AlertState.FIRING, firing.getState());
            assertEquals("x", firing.getSubject());
            assertEquals(T0 + MINUTE, firing.getWindowStart().toEpochMilli());
            assertEquals(400, firing.getCurrentSampleSize());
            assertEquals(5000, firing.getReferenceSampleSize());
            assertNotNull(firing.getBaselineId());
            assertEquals("default", firing.getPolicyVersion());
            DriftAlert resolved = alerts.get(1);
            assertEquals(AlertState.RESOLVED, resolved.getState());
            // Hysteresis: it resolves on the third window in a row with evidence below the resolve level.
            assertEquals(T0 + thirdQuietWindow(stats, "x", 3) * MINUTE, resolved.getWindowStart().toEpochMilli());
            assertEquals(firing.getTest(), resolved.getTest());
            assertTrue(resolved.getStatistic() < resolved.getThreshold(), resolved.getSummary());
            assertEquals(2.0, resolved.getThreshold(), 0.0);
            assertTrue(resolved.getSummary().contains("below the resolve level 2.00"), resolved.getSummary());
            assertTrue(firing.getStatistic() >= firing.getThreshold(), firing.getSummary());
            for (int w = 0; w < shifts.length; w++) {
                WindowStats x = find(stats, "x", T0 + w * MINUTE);
                assertFalse(x.getInsufficientData());
                if (shifts[w] > 0 || w == 0) {
                    assertEquals(shifts[w] > 0, x.getEvidence() >= 4.5, "evidence of window " + w + ": " + x.getEvidence());
                }
                assertNotNull(x.getSequentialEvidence());
            }
            // One of the two features drifted: share 0.5 reaches the default dataset threshold 0.5.
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED),
                    dataset.stream().map(DriftAlert::getState).toList());
            assertEquals(dev.driftwatch.schemas.avro.SubjectKind.DATASET, dataset.get(0).getSubjectKind());
            assertEquals(0.5, dataset.get(0).getStatistic(), 0.0);
            assertEquals(4, all.size(), all.toString());
        }
    }

    @Test
    void shouldReportTinyWindowsAsInsufficientAndNeitherResolveNorFireOnThem() {
        Random r = new Random(3);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 5000, 0));
            int[] sizes = {400, 5, 5, 5, 400, 400, 400, 400};
            double[] shifts = {3.0, 0, 0, 0, 0, 0, 0, 0};
            for (int w = 0; w < sizes.length; w++) {
                double[] x = normal(r, sizes[w], shifts[w]);
                for (int i = 0; i < x.length; i++) {
                    f.send(f.event("m", "1", T0 + w * MINUTE + i * 100, Map.of("x", x[i]), Map.of(), 0.5));
                }
            }
            f.send(f.event("m", "1", T0 + 10 * MINUTE, Map.of("x", 0.0), Map.of(), 0.5));
            List<WindowStats> stats = f.readStats();
            List<DriftAlert> alerts = f.readAlerts().stream().filter(a -> a.getSubject().equals("x")).toList();
            for (int w = 1; w <= 3; w++) {
                WindowStats tiny = find(stats, "x", T0 + w * MINUTE);
                assertTrue(tiny.getInsufficientData(), "window " + w);
                assertNull(tiny.getEvidence());
                assertFalse(tiny.getDrifting());
            }
            assertFalse(find(stats, "x", T0 + 4 * MINUTE).getInsufficientData());
            // The three 5-event windows neither resolve it: only the full windows after them do.
            assertEquals(List.of(AlertState.FIRING, AlertState.RESOLVED), alerts.stream().map(DriftAlert::getState).toList());
            int resolvedAt = thirdQuietWindow(stats, "x", 4);
            assertTrue(resolvedAt >= 6, "resolved at window " + resolvedAt);
            assertEquals(T0 + resolvedAt * MINUTE, alerts.get(1).getWindowStart().toEpochMilli());
        }
    }

    @Test
    void shouldReportTheSameStatisticsAsCompareOnTheWindowsValues() {
        Random r = new Random(2);
        double[] reference = normal(r, 3000, 0);
        double[] window = normal(r, 700, 0.3);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            f.publishNumericBaseline("m", "1", "x", reference);
            for (int i = 0; i < window.length; i++) {
                f.send(f.event("m", "1", T0 + i * 50, Map.of("x", window[i]), Map.of(), null));
            }
            f.send(f.event("m", "1", T0 + 2 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            WindowStats s = find(f.readStats(), "x", T0);
            ColumnComparison exact = Comparisons.numeric(reference, window, 10);
            for (DriftTest t : new DriftTest[] {DriftTests.PSI, DriftTests.KL, DriftTests.JS}) {
                assertEquals(exact.test(t).statistic(), stat(s, t.id()), 1e-9, t.id());
            }
            double ksBound = s.getStatistics().stream().filter(t -> t.getTest().equals("ks")).findFirst()
                    .orElseThrow().getErrorBound();
            assertTrue(ksBound > 0 && ksBound < 0.0025, "bound " + ksBound);
            double d = exact.test(DriftTests.KS).statistic();
            assertTrue(Math.abs(d - stat(s, "ks")) <= ksBound + 1e-12, d + " vs " + stat(s, "ks"));
            assertEquals(exact.test(DriftTests.WASSERSTEIN).statistic(), stat(s, "wasserstein"), 0.01);
        }
    }

    @Test
    void shouldSendUnreadableAndInvalidRecordsToTheDeadLetterTopicAndGoOn() {
        Random r = new Random(3);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 1000, 0));
            f.rawEvents.pipeInput("k1".getBytes(), new byte[] {7, 1, 2, 3}, T0);
            f.rawEvents.pipeInput("k2".getBytes(), new byte[] {0, 0, 0}, T0);
            InferenceEvent noModel = f.event("", "1", T0 + 1, Map.of("x", 1.0), Map.of(), null);
            f.send(noModel);
            InferenceEvent negativeLatency = f.event("m", "1", T0 + 2, Map.of("x", 1.0), Map.of(), null);
            negativeLatency.setLatencyMs(Double.NaN);
            f.send(negativeLatency);
            for (int i = 0; i < 50; i++) {
                f.send(f.event("m", "1", T0 + 10 + i, Map.of("x", r.nextGaussian()), Map.of(), null));
            }
            f.send(f.event("m", "1", T0 + 2 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            List<DeadLetter> dead = f.deadLetters.readValuesToList();
            assertEquals(4, dead.size());
            assertEquals(DeadLetterReason.WRONG_MAGIC_BYTE, dead.get(0).getReason());
            assertEquals(DeadLetterReason.TRUNCATED, dead.get(1).getReason());
            assertEquals(DeadLetterReason.INVALID_CONTENT, dead.get(2).getReason());
            assertTrue(dead.get(2).getDetail().contains("modelId"), dead.get(2).getDetail());
            assertTrue(dead.get(3).getDetail().contains("latencyMs"), dead.get(3).getDetail());
            assertEquals("inference-events", dead.get(0).getOriginalTopic());
            assertEquals(4, dead.get(0).getOriginalValue().remaining());
            assertEquals(50, find(f.readStats(), "x", T0).getSampleSize());
        }
    }

    @Test
    void shouldCountLateEventsWithinGraceAndDropThoseBeyond() {
        Random r = new Random(4);
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(30));
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 1000, 0));
            for (int i = 0; i < 10; i++) {
                f.send(f.event("m", "1", T0 + i * 1000, Map.of("x", r.nextGaussian()), Map.of(), null));
            }
            // Stream time 1m10s: window [0, 1m) is still open (grace 30s); a late event counts.
            f.send(f.event("m", "1", T0 + MINUTE + 10_000, Map.of("x", 0.1), Map.of(), null));
            f.send(f.event("m", "1", T0 + 30_000, Map.of("x", 0.2), Map.of(), null));
            // Stream time 1m40s closes window [0, 1m); an event for it is now beyond grace.
            f.send(f.event("m", "1", T0 + MINUTE + 40_000, Map.of("x", 0.3), Map.of(), null));
            f.send(f.event("m", "1", T0 + 40_000, Map.of("x", 0.4), Map.of(), null));
            f.send(f.event("m", "1", T0 + 5 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            List<WindowStats> stats = f.readStats();
            assertEquals(11, find(stats, "x", T0).getSampleSize());
            assertEquals(2, find(stats, "x", T0 + MINUTE).getSampleSize());
        }
    }

    @Test
    void shouldReportWindowsWithoutBaselineAndEvaluateOnceItArrives() {
        Random r = new Random(5);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            for (int i = 0; i < 100; i++) {
                f.send(f.event("m", "1", T0 + i * 10, Map.of("x", r.nextGaussian()), Map.of(), null));
            }
            f.publishNumericBaseline("m", "1", "x", normal(r, 1000, 0));
            for (int i = 0; i < 100; i++) {
                f.send(f.event("m", "1", T0 + MINUTE + i * 10, Map.of("x", r.nextGaussian()), Map.of(), null));
            }
            f.send(f.event("m", "1", T0 + 3 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            List<WindowStats> stats = f.readStats();
            WindowStats before = find(stats, "x", T0);
            assertNull(before.getBaselineId());
            assertEquals(100, before.getSampleSize());
            assertTrue(before.getStatistics().get(0).getUndefinedReason().contains("baseline"));
            WindowStats after = find(stats, "x", T0 + MINUTE);
            assertNotNull(after.getBaselineId());
            assertNotNull(stat(after, "psi"));
        }
    }

    @Test
    void shouldCountAnEventInEveryHoppingWindowThatContainsIt() {
        Random r = new Random(8);
        PipelineSettings tumbling = PipelineSettings.defaults(Duration.ofMinutes(2));
        PipelineSettings hopping = new PipelineSettings("driftwatch", Duration.ofMinutes(2), Duration.ofMinutes(1),
                Duration.ZERO, null, 1000, 1024, Duration.ofDays(1), 1, tumbling.policy());
        try (PipelineFixture f = new PipelineFixture(hopping, stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 1000, 0));
            for (int minute = 0; minute < 4; minute++) {
                for (int i = 0; i < 10 * (minute + 1); i++) {
                    f.send(f.event("m", "1", T0 + minute * MINUTE + i * 100, Map.of("x", r.nextGaussian()), Map.of(),
                            null));
                }
            }
            f.send(f.event("m", "1", T0 + 9 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            List<WindowStats> stats = f.readStats();
            // Windows of two minutes every minute: [-1,1) holds minute 0, [0,2) minutes 0-1, [1,3) minutes 1-2 ...
            assertEquals(10, find(stats, "x", T0 - MINUTE).getSampleSize());
            assertEquals(10 + 20, find(stats, "x", T0).getSampleSize());
            assertEquals(20 + 30, find(stats, "x", T0 + MINUTE).getSampleSize());
            assertEquals(30 + 40, find(stats, "x", T0 + 2 * MINUTE).getSampleSize());
            assertEquals(120_000, find(stats, "x", T0).getWindowEnd().toEpochMilli() - T0);
        }
    }

    @Test
    void shouldCountALateEventOnceWhateverTheNumberOfHoppingWindowsItMissed() {
        Random r = new Random(10);
        PipelineSettings tumbling = PipelineSettings.defaults(Duration.ofMinutes(2));
        PipelineSettings hopping = new PipelineSettings("driftwatch", Duration.ofMinutes(2), Duration.ofMinutes(1),
                Duration.ZERO, null, 1000, 1024, Duration.ofDays(1), 1, tumbling.policy());
        try (PipelineFixture f = new PipelineFixture(hopping, stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 1000, 0));
            for (int minute = 0; minute < 4; minute++) {
                f.send(f.event("m", "1", T0 + minute * MINUTE + 10, Map.of("x", r.nextGaussian()), Map.of(), null));
            }
            // Minute 0 lies in the closed windows [-1, 1) and [0, 2): one late event, counted once.
            f.send(f.event("m", "1", T0 + 20, Map.of("x", 0.5), Map.of(), null));
            f.send(f.event("m", "1", T0 + 9 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            long late = f.readStats().stream().filter(w -> w.getSubject().equals("x"))
                    .mapToLong(WindowStats::getLateEventsDropped).sum();
            assertEquals(1, late);
        }
    }

    @Test
    void shouldDeadLetterAnEventWithAnOverlongSegmentValue() {
        Random r = new Random(11);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 100, 0));
            InferenceEvent e = f.event("m", "1", T0, Map.of("x", 1.0), Map.of(), null);
            e.setSegment(Map.of("region", "x".repeat(70_000)));
            f.send(e);
            f.send(f.event("m", "1", T0 + 1, Map.of("x", 1.0), Map.of(), null));
            f.send(f.event("m", "1", T0 + 2 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            List<DeadLetter> dead = f.deadLetters.readValuesToList();
            assertEquals(1, dead.size());
            assertEquals(DeadLetterReason.INVALID_CONTENT, dead.get(0).getReason());
            assertTrue(dead.get(0).getDetail().contains("segment attribute 'region'"), dead.get(0).getDetail());
            assertEquals(1, find(f.readStats(), "x", T0).getSampleSize());
        }
    }

    @Test
    void shouldKeepSegmentsApartWhenASegmentAttributeIsSet() {
        Random r = new Random(9);
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(1));
        PipelineSettings segmented = new PipelineSettings("driftwatch", Duration.ofMinutes(1), Duration.ofMinutes(1),
                Duration.ZERO, "region", 1000, 1024, Duration.ofDays(1), 1, base.policy());
        try (PipelineFixture f = new PipelineFixture(segmented, stateDir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 1000, 0));
            for (int i = 0; i < 30; i++) {
                InferenceEvent e = f.event("m", "1", T0 + i, Map.of("x", r.nextGaussian()), Map.of(), null);
                e.setSegment(Map.of("region", i % 3 == 0 ? "eu" : "us"));
                f.send(e);
            }
            f.send(f.event("m", "1", T0 + 2 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            List<WindowStats> stats = f.readStats();
            assertEquals(10, find(stats, "x@eu", T0).getSampleSize());
            assertEquals(20, find(stats, "x@us", T0).getSampleSize());
        }
    }

    @Test
    void shouldKeepEveryModelVersionApartAndGiveDeterministicAlertIds() {
        List<String> firstRun = runTwoVersions(stateDir.resolve("a"));
        List<String> secondRun = runTwoVersions(stateDir.resolve("b"));
        assertFalse(firstRun.isEmpty());
        assertEquals(firstRun, secondRun);
    }

    private List<String> runTwoVersions(Path dir) {
        Random r = new Random(6);
        List<String> ids = new ArrayList<>();
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), dir)) {
            f.publishNumericBaseline("m", "1", "x", normal(r, 2000, 0));
            f.publishNumericBaseline("m", "2", "x", normal(r, 2000, 0));
            for (int w = 0; w < 3; w++) {
                for (int i = 0; i < 300; i++) {
                    long t = T0 + w * MINUTE + i * 100;
                    f.send(f.event("m", "1", t, Map.of("x", r.nextGaussian()), Map.of(), null));
                    f.send(f.event("m", "2", t, Map.of("x", r.nextGaussian() + (w >= 1 ? 2 : 0)), Map.of(), null));
                }
            }
            f.send(f.event("m", "1", T0 + 9 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            List<DriftAlert> alerts = f.readAlerts();
            Map<String, List<DriftAlert>> byVersion = alerts.stream()
                    .collect(Collectors.groupingBy(DriftAlert::getModelVersion));
            assertFalse(byVersion.containsKey("1"), "version 1 did not drift: " + alerts);
            assertTrue(byVersion.get("2").stream().anyMatch(a -> a.getSubject().equals("x")
                    && a.getState() == AlertState.FIRING));
            alerts.forEach(a -> ids.add(a.getAlertId()));
        }
        return ids;
    }

    @Test
    void shouldPinTheTopologyDescription() throws Exception {
        var topology = DriftwatchTopology.build(PipelineSettings.defaults(Duration.ofMinutes(1)),
                Topics.defaults(Map.of("schema.registry.url", "mock://describe")));
        String actual = topology.describe().toString().strip();
        Path pinned = Path.of(getClass().getResource("/topology/description.txt").toURI());
        if (Boolean.getBoolean("driftwatch.repin")) {
            // -Ddriftwatch.repin=true rewrites the pinned file in the sources, for a deliberate change.
            Files.writeString(Path.of("src/test/resources/topology/description.txt"), actual + "\n");
            return;
        }
        assertEquals(Files.readString(pinned).strip(), actual,
                "the topology changed: a renamed store or topic orphans live state; update description.txt on purpose");
    }
}
