package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one reading of times and durations that every command shares. */
class CommandTimesTest {
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path dir;

    @Test
    void shouldReadDurationsWithAUnitInIso8601OrInSeconds() {
        assertEquals(Duration.ofMillis(500), CommandTimes.duration("--timeout", "500ms"));
        assertEquals(Duration.ofSeconds(30), CommandTimes.duration("--timeout", "30s"));
        assertEquals(Duration.ofMinutes(2), CommandTimes.duration("--timeout", "2m"));
        assertEquals(Duration.ofHours(1), CommandTimes.duration("--timeout", "1H"));
        assertEquals(Duration.ofDays(7), CommandTimes.duration("--timeout", "7d"));
        assertEquals(Duration.ofSeconds(45), CommandTimes.duration("--timeout", "PT45S"));
        assertEquals(Duration.ofMinutes(5), CommandTimes.duration("--window-size", "pt5m"));
        assertEquals(Duration.ofSeconds(300), CommandTimes.duration("--window-size", " 300 "));
    }

    @Test
    void shouldRefuseABadDurationNamingTheOptionTheValueAndTheForms() {
        for (String bad : new String[] {"soon", "", "5 m", "1.5s", "-PT1S", "PT", "99999999999999999d"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> CommandTimes.duration("--timeout", bad), bad);
            assertEquals("--timeout '" + bad + "' is not a duration; expected " + CommandTimes.DURATION_FORMS,
                    e.getMessage());
        }
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> CommandTimes.duration("--window-size", "0s"));
        assertTrue(zero.getMessage().startsWith("--window-size '0s' is not positive"), zero.getMessage());
    }

    @Test
    void shouldKeepADurationWithinItsRange() {
        assertEquals(Duration.ZERO, CommandTimes.duration("--grace", "0", Duration.ZERO, null));
        assertEquals(Duration.ofHours(1),
                CommandTimes.duration("--timeout", "1h", Duration.ofMillis(1), Duration.ofHours(1)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandTimes.duration("--timeout", "61m", Duration.ofMillis(1), Duration.ofHours(1)));
        assertEquals("--timeout '61m' is out of range; expected 1ms..1h", e.getMessage());
    }

    @Test
    void shouldReadTimesAsInstantsWithOrWithoutOffsetOrEpochMillis() {
        assertEquals(Instant.parse("2026-11-01T09:00:00Z"), CommandTimes.time("--from", "2026-11-01T09:00:00Z"));
        assertEquals(Instant.parse("2026-11-01T08:00:00Z"), CommandTimes.time("--start", "2026-11-01T09:00:00+01:00"));
        assertEquals(Instant.ofEpochMilli(1234), CommandTimes.time("--from", "1234"));
        assertEquals(Instant.ofEpochMilli(1_793_523_600_000L), CommandTimes.time("--from", "1793523600000"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandTimes.time("--start", "monday"));
        assertEquals("--start 'monday' is not a time; expected " + CommandTimes.TIME_FORMS, e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CommandTimes.time("--until", "2h"),
                "a duration is not a time where the option does not say 'ago'");
    }

    @Test
    void shouldReadSinceAsATimeOrADurationAgo() {
        assertEquals(Instant.parse("2026-11-01T09:00:00Z"), CommandTimes.timeOrAgo("--since", "2026-11-01T09:00:00Z",
                NOW));
        assertEquals(Instant.ofEpochMilli(1_793_523_600_000L), CommandTimes.timeOrAgo("--since", "1793523600000", NOW));
        assertEquals(NOW.minus(Duration.ofDays(7)), CommandTimes.timeOrAgo("--since", "7d", NOW));
        assertEquals(NOW.minus(Duration.ofMinutes(15)), CommandTimes.timeOrAgo("--since", "PT15M", NOW));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandTimes.timeOrAgo("--since", "yesterday", NOW));
        assertTrue(e.getMessage().startsWith("--since 'yesterday' is not a time; expected an ISO-8601 instant"),
                e.getMessage());
        assertTrue(e.getMessage().endsWith("or a duration ago such as 90s, 15m, 2h or 7d"), e.getMessage());
    }

    @Test
    void shouldReadTheSameFormsInEveryCommand() {
        // before one parser: sample took ISO-8601 or seconds, ctl and replay 500ms/30s/2m or ISO-8601,
        // alerts and tail 500ms..7d; each refused what the others took
        CliRun sample = CliRun.of("sample", "--output", dir.resolve("x.csv").toString(), "--window-size", "2m",
                "--windows", "2", "--events-per-window", "5", "--start", "1793523600000");
        assertEquals(0, sample.exit(), sample.err());
        assertTrue(sample.out().contains("2 windows of PT2M from 2026-11-01T09:00:00Z"), sample.out());
        CliRun ctl = CliRun.of("ctl", "unmute", "--model", "m", "--timeout", "2h", "--bootstrap-servers",
                "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, ctl.exit());
        assertEquals("driftwatch ctl: --timeout '2h' is out of range; expected 1ms..1h", ctl.err().strip());
        CliRun alerts = CliRun.of("alerts", "--timeout", "PT0.5S", "--since", "soon", "--bootstrap-servers",
                "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, alerts.exit());
        assertTrue(alerts.err().startsWith("driftwatch alerts: --since 'soon' is not a time"), alerts.err());
    }
}
