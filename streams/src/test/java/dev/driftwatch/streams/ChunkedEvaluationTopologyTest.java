package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.WindowStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The evaluating stage works through the windows one watermark makes ready in steps (a few subjects each, a commit
 * after each), so that the first model versions' records are out while it evaluates the others: every window is
 * evaluated once, in the same order and with the same records and alerts as when evaluated at once, and a control
 * command that follows the watermark applies after all of them. The summarizing stage hands closed windows on in
 * steps too, and a version's window is evaluated once the hand-on mark has passed it.
 */
class ChunkedEvaluationTopologyTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final Instant WALL = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<String> VERSIONS = List.of("1", "2", "3", "4");
    /** The version whose x drifts in both windows: it fires in the first, evaluated in a later step than the first two. */
    private static final String DRIFTING = "4";

    @TempDir
    Path dir;

    private static PipelineFixture fixture(Path dir, int chunkSubjects) {
        return new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), ControlSettings.defaults(), dir,
                WALL, chunkSubjects);
    }

    /** Baselines, two windows of every version, then one event that closes both (one watermark). */
    private static void traffic(PipelineFixture f) {
        windows(f);
        f.send(f.event("m", "1", T0 + 9 * MINUTE, Map.of("x", 0.0), Map.of(), null));
    }

    /** Baselines and two windows of every version: the first closes during the second's traffic. */
    private static void windows(PipelineFixture f) {
        Random r = new Random(22);
        for (String v : VERSIONS) {
            double[] reference = new double[1000];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = r.nextGaussian();
            }
            f.publishNumericBaseline("m", v, "x", reference);
        }
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < 150; i++) {
                for (String v : VERSIONS) {
                    double shift = v.equals(DRIFTING) ? 2 : 0;
                    f.send(f.event("m", v, T0 + w * MINUTE + i * 200L, Map.of("x", r.nextGaussian() + shift), Map.of(),
                            null));
                }
            }
        }
    }

    /** Model version and window start of each drift record, in the order read, each pair once. */
    private static List<String> windowsOf(List<WindowStats> stats) {
        LinkedHashSet<String> windows = new LinkedHashSet<>();
        stats.stream().filter(DriftRecords::isDrift)
                .forEach(s -> windows.add(s.getModelVersion() + "@" + (s.getWindowStart().toEpochMilli() - T0) / MINUTE));
        return new ArrayList<>(windows);
    }

    /**
     * What each of {@code count} steps published (its drift records' windows), the first read at once and each
     * other after a millisecond of wall clock (a punctuation); the records and alerts go to {@code stats} and
     * {@code alerts}.
     */
    private static List<List<String>> steps(PipelineFixture f, int count, List<WindowStats> stats,
                                            List<DriftAlert> alerts) {
        List<List<String>> steps = new ArrayList<>();
        for (int step = 0; step < count; step++) {
            if (step > 0) {
                f.driver.advanceWallClockTime(Duration.ofMillis(1));
            }
            List<WindowStats> read = f.readStats();
            stats.addAll(read);
            alerts.addAll(f.readAlerts());
            steps.add(windowsOf(read));
        }
        return steps;
    }

    private static List<String> alertIds(List<DriftAlert> alerts) {
        return alerts.stream().map(DriftAlert::getAlertId).toList();
    }

    private record Run(List<WindowStats> stats, List<DriftAlert> alerts) {
    }

    private static Run atOnce(Path dir) {
        try (PipelineFixture f = fixture(dir, Integer.MAX_VALUE)) {
            traffic(f);
            return new Run(f.readStats(), f.readAlerts());
        }
    }

    @Test
    void shouldEvaluateEveryReadyWindowOnceAStepAtATimeWithTheRecordsOfAnEvaluationAtOnce() {
        Run reference = atOnce(dir.resolve("at-once"));
        assertEquals(List.of("1@0", "2@0", "3@0", "4@0", "1@1", "2@1", "3@1", "4@1"), windowsOf(reference.stats()));
        assertTrue(reference.alerts().stream().anyMatch(a -> a.getModelVersion().equals(DRIFTING)
                && a.getState() == AlertState.FIRING), "version " + DRIFTING + " fires: " + reference.alerts());

        List<WindowStats> stats = new ArrayList<>();
        List<DriftAlert> alerts = new ArrayList<>();
        List<List<String>> steps = new ArrayList<>();
        try (PipelineFixture f = fixture(dir.resolve("steps"), 1)) {
            traffic(f);
            // One subject per step: one model version's window per step, the first with the watermark.
            steps.addAll(steps(f, 20, stats, alerts));
        }
        // Window 0 closes during window 1's traffic (a watermark: one step), both with the last event (another).
        assertTrue(steps.get(0).size() <= 2, "one window per watermark: " + steps);
        int evaluated = steps.get(0).size();
        for (int step = 1; evaluated < 8; step++) {
            assertEquals(1, steps.get(step).size(), "one window per punctuation: " + steps);
            evaluated++;
        }
        assertTrue(steps.stream().skip(9).allMatch(List::isEmpty), "nothing after the last: " + steps);
        // Each window once, in the order of an evaluation at once, with the same records and alerts.
        assertEquals(windowsOf(reference.stats()), windowsOf(stats));
        assertEquals(reference.stats(), stats);
        assertEquals(alertIds(reference.alerts()), alertIds(alerts));
        assertEquals(reference.alerts(), alerts);
    }

    @Test
    void shouldEvaluateTheReadyWindowsBeforeACommandThatFollowsThem() {
        Run reference = atOnce(dir.resolve("at-once"));
        try (PipelineFixture f = fixture(dir.resolve("steps"), 1)) {
            traffic(f);
            List<String> first = windowsOf(f.stats.readValuesToList());
            assertTrue(first.size() <= 2, "a step per watermark so far: " + first);
            // Muting the drifting version after the watermark must not mute the alerts of the windows it made ready.
            ControlCommand mute = ControlCommand.newBuilder()
                    .setCommandId("mute-" + DRIFTING)
                    .setType(CommandType.MUTE)
                    .setIssuedAt(Instant.ofEpochMilli(T0))
                    .setIssuedBy("test")
                    .setModelId("m")
                    .setModelVersion(DRIFTING)
                    .setSubject(null)
                    .setFrom(null)
                    .setTo(null)
                    .setPolicyVersion(null)
                    .setParameters(new HashMap<>())
                    .setReason("test")
                    .build();
            f.control.pipeInput(mute.getCommandId(), mute, Instant.ofEpochMilli(T0 + 9 * MINUTE));
            List<String> rest = windowsOf(f.readStats());
            List<String> all = new ArrayList<>(first);
            all.addAll(rest);
            assertEquals(windowsOf(reference.stats()), all,
                    "every ready window before the command, without waiting for the steps");
            assertEquals(alertIds(reference.alerts()), alertIds(f.readAlerts()));
        }
    }

    /**
     * The summarizing stage hands closed windows on in steps too (here one window each, a commit and a hand-on mark
     * after each), and the evaluating stage evaluates a version's window as soon as the mark has passed it, not when
     * the last version's window is in: each window once, in the same order, with the records and alerts of a hand-on
     * and an evaluation at once.
     */
    @Test
    void shouldEvaluateEachVersionsWindowAsSoonAsItIsHandedOnWithTheRecordsOfAHandOnAtOnce() {
        Run reference = atOnce(dir.resolve("at-once"));
        List<WindowStats> stats = new ArrayList<>();
        List<DriftAlert> alerts = new ArrayList<>();
        List<List<String>> steps = new ArrayList<>();
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)),
                ControlSettings.defaults(), dir.resolve("hand-on"), WALL, 1, Integer.MAX_VALUE)) {
            windows(f);
            // The first window closed during the second's traffic: its first step went with the event that closed
            // it, and without punctuations the rest waits (the events that followed went into the second window).
            List<WindowStats> first = f.readStats();
            assertEquals(List.of("1@0"), windowsOf(first), "one version's window handed on and evaluated");
            stats.addAll(first);
            alerts.addAll(f.readAlerts());
            f.send(f.event("m", "1", T0 + 9 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            steps.addAll(steps(f, 12, stats, alerts));
        }
        assertEquals(List.of(), steps.get(0), "a hand-on under way: the closing event starts nothing new");
        for (int step = 1; step <= 7; step++) {
            assertEquals(1, steps.get(step).size(), "one window per step, each step after a punctuation: " + steps);
        }
        assertTrue(steps.stream().skip(8).allMatch(List::isEmpty), "nothing after the last: " + steps);
        assertEquals(reference.stats(), stats);
        assertEquals(alertIds(reference.alerts()), alertIds(alerts));
        assertEquals(reference.alerts(), alerts);
    }
}
