package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.WindowStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summarizing stage hands the windows one boundary closes on in steps (a few subjects each, a commit after each,
 * a hand-on mark after each), and the evaluating stage evaluates a model version's window as soon as the marks have
 * passed it, not when the last version's partial is in: the first versions' records are out while the others are
 * still being handed on. Every window is evaluated once, in the same order and with the same records and alerts as
 * when every closed window is handed on at once.
 */
class HandOnStepsTopologyTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final Instant WALL = Instant.parse("2026-12-01T00:00:00Z");
    private static final List<String> VERSIONS = List.of("1", "2", "3", "4");
    /** The version whose x drifts: it fires, handed on in the third step. */
    private static final String DRIFTING = "3";

    @TempDir
    Path dir;

    private static PipelineFixture fixture(Path dir, int handoffSubjects) {
        return new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), ControlSettings.defaults(), dir,
                WALL, handoffSubjects, Integer.MAX_VALUE);
    }

    /** Baselines, two windows of every version, then one event that closes the second (the first closes earlier). */
    private static void traffic(PipelineFixture f) {
        Random r = new Random(23);
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

    private static void closeEverything(PipelineFixture f) {
        f.send(f.event("m", "1", T0 + 9 * MINUTE, Map.of("x", 0.0), Map.of(), null));
    }

    /** Model version and window start of each drift record, in the order read, each pair once. */
    private static List<String> windowsOf(List<WindowStats> stats) {
        LinkedHashSet<String> windows = new LinkedHashSet<>();
        stats.stream().filter(DriftRecords::isDrift)
                .forEach(s -> windows.add(s.getModelVersion() + "@" + (s.getWindowStart().toEpochMilli() - T0) / MINUTE));
        return new ArrayList<>(windows);
    }

    private record Run(List<WindowStats> stats, List<DriftAlert> alerts) {
    }

    private static Run atOnce(Path dir) {
        try (PipelineFixture f = fixture(dir, Integer.MAX_VALUE)) {
            traffic(f);
            closeEverything(f);
            return new Run(f.readStats(), f.readAlerts());
        }
    }

    @Test
    void shouldEvaluateEachVersionsWindowAsSoonAsItIsHandedOnWithTheRecordsOfAHandOnAtOnce() {
        Run reference = atOnce(dir.resolve("at-once"));
        assertEquals(List.of("1@0", "2@0", "3@0", "4@0", "1@1", "2@1", "3@1", "4@1"), windowsOf(reference.stats()));
        assertTrue(reference.alerts().stream().anyMatch(a -> a.getModelVersion().equals(DRIFTING)
                && a.getState() == AlertState.FIRING), "version " + DRIFTING + " fires: " + reference.alerts());

        List<WindowStats> stats = new ArrayList<>();
        List<DriftAlert> alerts = new ArrayList<>();
        List<List<String>> steps = new ArrayList<>();
        try (PipelineFixture f = fixture(dir.resolve("steps"), 1)) {
            traffic(f);
            // The first window closed during the second's traffic: its first step went with the event that closed
            // it, and without punctuations the rest waits (the events that followed went into the second window).
            List<WindowStats> first = f.readStats();
            assertEquals(List.of("1@0"), windowsOf(first), "one version's window handed on and evaluated, the others"
                    + " waiting");
            stats.addAll(first);
            alerts.addAll(f.readAlerts());
            closeEverything(f);
            // One window (one subject) per step, each step at a punctuation after the previous one's commit.
            for (int step = 0; step < 12; step++) {
                if (step > 0) {
                    f.driver.advanceWallClockTime(Duration.ofMillis(1));
                }
                List<WindowStats> read = f.readStats();
                stats.addAll(read);
                alerts.addAll(f.readAlerts());
                steps.add(windowsOf(read));
            }
            assertEquals(List.of(), steps.get(0), "a step under way: the closing event starts nothing new");
            for (int step = 1; step <= 7; step++) {
                assertEquals(1, steps.get(step).size(), "one window per step: " + steps);
            }
            assertTrue(steps.stream().skip(8).allMatch(List::isEmpty), "nothing after the last: " + steps);
        }
        assertEquals(windowsOf(reference.stats()), windowsOf(stats), "each window once, in the order of a hand-on at once");
        assertEquals(reference.stats(), stats);
        assertEquals(reference.alerts(), alerts);
    }
}
