package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.client.EventReplay;
import dev.driftwatch.streams.config.DriftwatchConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code replay}'s checks and its dry run; publishing is tested on a broker in ReplayIntegrationTest. */
class ReplayCommandTest {
    @TempDir
    Path dir;

    private Path sample(String name) {
        Path file = dir.resolve(name);
        assertEquals(0, CliRun.of("sample", "--output", file.toString(), "--windows", "2", "--events-per-window",
                "25", "--start", "2026-11-01T09:00:00Z").exit());
        return file;
    }

    @Test
    void shouldCountTheEventsOfAFileInADryRunWithoutABroker() {
        Path file = sample("traffic.avro");
        CliRun r = CliRun.of("replay", "--input", file.toString(), "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("dry run: 100 events read from " + file + " (avro), 0 outside --start/--end,"
                + " 0 bad records; nothing published"), r.out());
    }

    @Test
    void shouldApplyTheEventTimeBoundsInADryRun() {
        Path file = sample("traffic.jsonl");
        CliRun r = CliRun.of("replay", "--input", file.toString(), "--dry-run", "--start", "2026-11-01T09:01:00Z",
                "--end", "2026-11-01T10:00:00Z");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("dry run: 50 events read"), r.out());
        assertTrue(r.out().contains("50 outside --start/--end"), r.out());
    }

    @Test
    void shouldReportBadLinesWithTheirNumbersAndFailOnThemWhenAsked() throws IOException {
        Path file = sample("traffic.csv");
        Files.writeString(file, "r9,m,1,not-a-time\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun r = CliRun.of("replay", "--input", file.toString(), "--dry-run");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("100 events read") && r.out().contains("1 bad records"), r.out());
        assertTrue(r.err().contains("replay: 1 bad records:"), r.err());
        assertTrue(r.err().contains("line 102: expected 24 fields, found 4"), r.err());
        CliRun failing = CliRun.of("replay", "--input", file.toString(), "--fail-on-bad",
                "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, failing.exit());
        assertTrue(failing.err().contains("driftwatch replay: 1 bad records in " + file
                + " (--fail-on-bad): nothing replayed"), failing.err());
    }

    @Test
    void shouldTreatATruncatedAvroFileAsDamagedAndNameTheByteOffset() throws IOException {
        Path whole = dir.resolve("whole.avro");
        Path baselines = dir.resolve("baselines.json");
        assertEquals(0, CliRun.of("sample", "--output", whole.toString(), "--baselines", baselines.toString(),
                "--windows", "2", "--events-per-window", "1500", "--training-rows", "2000").exit());
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut : new int[] {bytes.length / 2, bytes.length / 3, bytes.length - 1}) {
            Path half = dir.resolve("cut-" + cut + ".avro");
            Files.write(half, java.util.Arrays.copyOf(bytes, cut));
            CliRun failing = CliRun.of("replay", "--input", half.toString(), "--dry-run", "--fail-on-bad");
            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, failing.exit(), failing.out() + failing.err());
            assertTrue(failing.err().contains("damaged Avro container at byte offset "), failing.err());
            CliRun warned = CliRun.of("replay", "--input", half.toString(), "--dry-run");
            assertEquals(0, warned.exit(), warned.err());
            assertTrue(warned.out().contains(", 1 bad records;"), warned.out());
            assertTrue(warned.err().contains("replay: 1 bad records:") && warned.err().contains("byte offset"),
                    warned.err());
            CliRun analyze = CliRun.of("analyze", "--input", half.toString(), "--baseline", baselines.toString(),
                    "--fail-on-bad");
            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, analyze.exit(), analyze.out() + analyze.err());
            assertTrue(analyze.err().contains("damaged Avro container at byte offset "), analyze.err());
        }
        CliRun intact = CliRun.of("replay", "--input", whole.toString(), "--dry-run", "--fail-on-bad");
        assertEquals(0, intact.exit(), intact.err());
        assertTrue(intact.out().contains("6,000 events read") && intact.out().contains(" 0 bad records"),
                intact.out());
    }

    @Test
    void shouldRefuseBadOptionsWithOneLine() {
        Path file = sample("traffic.avro");
        CliRun none = CliRun.of("replay", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, none.exit());
        assertTrue(none.err().contains("Missing required argument"), none.err());
        CliRun both = CliRun.of("replay", "--input", file.toString(), "--from-topic", "t");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, both.exit());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        CliRun missing = CliRun.of("replay", "--input", dir.resolve("nope.avro").toString(), "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, missing.exit());
        assertTrue(missing.err().startsWith("driftwatch replay: input file "), missing.err());
        CliRun rate = CliRun.of("replay", "--input", file.toString(), "--rate", "-5", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, rate.exit());
        assertTrue(rate.err().contains("--rate must be a finite number >= 0"), rate.err());
        CliRun range = CliRun.of("replay", "--input", file.toString(), "--start", "2026-11-02T00:00:00Z", "--end",
                "2026-11-01T00:00:00Z", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, range.exit());
        assertTrue(range.err().contains("must be before --end"), range.err());
        CliRun time = CliRun.of("replay", "--input", file.toString(), "--start", "monday", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, time.exit());
        assertTrue(time.err().contains("--start 'monday' is not a time"), time.err());
        CliRun servers = CliRun.of("replay", "--input", file.toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, servers.exit());
        assertTrue(servers.err().contains("bootstrap.servers"), servers.err());
        CliRun self = CliRun.of("replay", "--from-topic", "inference-events", "--bootstrap-servers", "127.0.0.1:1");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, self.exit());
        assertTrue(self.err().contains("is also the target topic"), self.err());
        CliRun timeout = CliRun.of("replay", "--input", file.toString(), "--timeout", "soon", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, timeout.exit());
        assertTrue(timeout.err().contains("--timeout 'soon' is not a duration"), timeout.err());
        CliRun skip = CliRun.of("replay", "--input", file.toString(), "--skip", "-1", "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, skip.exit());
        assertTrue(skip.err().contains("--skip '-1' is not a resume point"), skip.err());
    }

    @Test
    void shouldSendTheClosingEventsPastTheBusinessJoinWhenOutcomesAreOn() {
        java.util.Map<String, String> props = new java.util.HashMap<>(java.util.Map.of("bootstrap.servers", "x:9092",
                "window.size.ms", "60000", "window.grace.ms", "5000"));
        assertEquals(1_000 + 60_000 + 5_000 + 1,
                EventReplay.closingTime(new DriftwatchConfig(props), 1_000));
        props.putAll(java.util.Map.of("business.enabled", "true", "business.join.window.ms", "600000",
                "business.join.grace.ms", "30000"));
        assertEquals(1_000 + 60_000 + 5_000 + 600_000 + 30_000 + 1,
                EventReplay.closingTime(new DriftwatchConfig(props), 1_000),
                "the last window closes the join window and its grace later");
    }
}
