package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeadLetterReason;
import dev.driftwatch.schemas.avro.WindowStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The future-skew guard (max.future.skew.ms, one day) against quiet periods and clock errors: a gap of three
 * days in event time is no error, whether the traffic is live (the wall clock follows it) or old (replayed or
 * analysed weeks later); an event time beyond the wall clock + the skew is a clock error and goes to the DLQ
 * without moving stream time.
 */
class QuietPeriodTopologyTest {
    private static final long T0 = Instant.parse("2026-11-06T09:00:00Z").toEpochMilli();
    private static final long MINUTE = 60_000;
    private static final long GAP = Duration.ofDays(3).toMillis();

    @TempDir
    Path stateDir;

    private static PipelineSettings settings() {
        return PipelineSettings.defaults(Duration.ofMinutes(1));
    }

    /** Ten events in each of two minutes from {@code start}. */
    private static void twoWindows(PipelineFixture f, long start) {
        for (int i = 0; i < 20; i++) {
            f.send(f.event("m", "1", start + i * 6_000L, Map.of("x", (double) i), Map.of(), null));
        }
    }

    private static Set<Instant> windowStarts(List<WindowStats> stats) {
        return stats.stream().filter(s -> s.getSubject().equals("x")).map(WindowStats::getWindowStart)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * @param wallClockAfterT0Days the wall clock at the start, in days after the first event: 3 for live traffic
     *                             (the clock reads the time of the events after the gap), 30 for old traffic
     */
    @ParameterizedTest
    @ValueSource(ints = {3, 30})
    void shouldEvaluateEveryWindowAcrossAThreeDayQuietPeriodWithNothingInTheDeadLetters(int wallClockAfterT0Days) {
        Instant wallClock = Instant.ofEpochMilli(T0 + Duration.ofDays(wallClockAfterT0Days).toMillis() + 5 * MINUTE);
        try (PipelineFixture f = new PipelineFixture(settings(), ControlSettings.defaults(), stateDir, wallClock)) {
            twoWindows(f, T0);
            twoWindows(f, T0 + GAP); // the model was idle over a weekend
            f.send(f.event("m", "1", T0 + GAP + 3 * MINUTE, Map.of("x", 0.0), Map.of(), null)); // closes them
            List<DeadLetter> dead = f.deadLetters.readValuesToList();
            assertEquals(List.of(), dead);
            assertEquals(Set.of(Instant.ofEpochMilli(T0), Instant.ofEpochMilli(T0 + MINUTE),
                    Instant.ofEpochMilli(T0 + GAP), Instant.ofEpochMilli(T0 + GAP + MINUTE)),
                    windowStarts(f.readStats()));
        }
    }

    @Test
    void shouldStillDeadLetterASingleEventFarAheadOfTheWallClockWithoutMovingStreamTime() {
        Instant wallClock = Instant.ofEpochMilli(T0 + 2 * MINUTE);
        try (PipelineFixture f = new PipelineFixture(settings(), ControlSettings.defaults(), stateDir, wallClock)) {
            twoWindows(f, T0);
            // a clock two days ahead, then a time in microseconds
            f.send(f.event("m", "1", wallClock.toEpochMilli() + Duration.ofDays(2).toMillis(), Map.of("x", 1.0),
                    Map.of(), null));
            f.send(f.event("m", "1", T0 * 1000, Map.of("x", 1.0), Map.of(), null));
            List<DeadLetter> dead = f.deadLetters.readValuesToList();
            assertEquals(2, dead.size(), dead.toString());
            for (DeadLetter d : dead) {
                assertEquals(DeadLetterReason.INVALID_CONTENT, d.getReason());
                assertTrue(d.getDetail().contains("ahead of stream time") && d.getDetail().contains("wall-clock time"),
                        d.getDetail());
            }
            // the rejected events did not move stream time: an event of the second minute still counts in it
            f.send(f.event("m", "1", T0 + MINUTE + 59_000, Map.of("x", 5.0), Map.of(), null));
            f.send(f.event("m", "1", T0 + 3 * MINUTE, Map.of("x", 0.0), Map.of(), null));
            List<WindowStats> stats = f.readStats().stream().filter(s -> s.getSubject().equals("x")).toList();
            assertEquals(List.of(10L, 11L), stats.stream().map(WindowStats::getSampleSize).toList());
        }
    }
}
