package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.replay.EventFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteTheSameTrafficForTheSameOptionsInTheFormatOfTheExtension() throws IOException {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Path baselines = dir.resolve("baselines.json");
        CliRun r = CliRun.of("sample", "--output", a.toString(), "--windows", "2", "--events-per-window", "10",
                "--baselines", baselines.toString(), "--training-rows", "200", "--start", "2026-11-01T09:00:00Z");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("wrote 40 events"), r.out());
        assertTrue(r.out().contains("wrote 24 baselines"), r.out());
        assertEquals(EventFormat.CSV, EventFormat.detect(a));
        assertEquals(0, CliRun.of("sample", "--output", b.toString(), "--windows", "2", "--events-per-window", "10",
                "--start", "2026-11-01T09:00:00Z").exit());
        assertEquals(Files.readString(a), Files.readString(b));
        assertTrue(Files.readString(baselines).startsWith("["));
    }

    @Test
    void shouldEndTheWindowsAtTheLastWindowBoundaryBeforeNowWithoutStart() throws IOException {
        assertEquals(Instant.parse("2026-12-04T02:15:00Z").toEpochMilli(),
                SampleCommand.recentStart(Instant.parse("2026-12-04T03:07:30Z"), Duration.ofMinutes(5), 10));
        assertEquals(Instant.parse("2026-12-04T02:10:00Z").toEpochMilli(),
                SampleCommand.recentStart(Instant.parse("2026-12-04T03:00:00Z"), Duration.ofMinutes(5), 10));

        Path file = dir.resolve("recent.csv");
        long before = Instant.now().toEpochMilli();
        CliRun r = CliRun.of("sample", "--output", file.toString(), "--windows", "3", "--events-per-window", "5",
                "--window-size", "PT5M");
        long after = Instant.now().toEpochMilli();
        assertEquals(0, r.exit(), r.err());
        long size = Duration.ofMinutes(5).toMillis();
        List<String> lines = Files.readAllLines(file);
        int column = List.of(lines.get(0).split(",")).indexOf("event_time");
        List<Long> times = lines.stream().skip(1)
                .map(line -> Instant.parse(line.split(",")[column]).toEpochMilli()).toList();
        assertEquals(30, times.size());
        long first = times.stream().min(Long::compare).orElseThrow();
        long last = times.stream().max(Long::compare).orElseThrow();
        assertEquals(0, first % size, "the first window starts on a window boundary: " + Instant.ofEpochMilli(first));
        assertTrue(first >= (before / size) * size - 3 * size && first <= (after / size) * size - 3 * size,
                "three windows before the last boundary: " + Instant.ofEpochMilli(first));
        assertTrue(last < after, "no event after now: " + Instant.ofEpochMilli(last));
    }

    @Test
    void shouldWriteAvroWhenAskedWhateverTheExtension() throws IOException {
        Path out = dir.resolve("traffic.bin");
        CliRun r = CliRun.of("sample", "--output", out.toString(), "--format", "avro", "--windows", "1",
                "--events-per-window", "5");
        assertEquals(0, r.exit(), r.err());
        assertEquals(EventFormat.AVRO, EventFormat.detect(out));
    }

    @Test
    void shouldRefuseAnUnknownFormatABadWindowSizeAndZeroWindowsWithOneLine() {
        CliRun format = CliRun.of("sample", "--output", dir.resolve("x").toString(), "--format", "xml");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, format.exit());
        assertEquals("driftwatch sample: unknown format 'xml'; expected avro, jsonl or csv", format.err().strip());
        CliRun size = CliRun.of("sample", "--output", dir.resolve("x.csv").toString(), "--window-size", "soon");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, size.exit());
        assertTrue(size.err().contains("--window-size 'soon' is not a duration"), size.err());
        CliRun windows = CliRun.of("sample", "--output", dir.resolve("y.csv").toString(), "--windows", "0");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, windows.exit());
        assertEquals(1, windows.err().strip().lines().count(), windows.err());
        assertFalse(Files.exists(dir.resolve("y.csv")));
    }

    @Test
    void shouldWriteTheLlmScenarioWithTextsEmbeddingsAndAnEmbeddingBaseline() throws IOException {
        Path out = dir.resolve("llm.avro");
        Path baselines = dir.resolve("llm-baselines.json");
        CliRun r = CliRun.of("sample", "--scenario", "llm", "--output", out.toString(), "--baselines",
                baselines.toString(), "--windows", "2", "--events-per-window", "20", "--training-rows", "300",
                "--start", "2026-11-01T09:00:00Z");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("chat-assistant"), r.out());
        String json = Files.readString(baselines);
        assertTrue(json.contains("\"EMBEDDING\"") && json.contains("embedding.prompt"), "an embedding baseline");
        assertTrue(json.contains("text.prompt.chars") && json.contains("output.error"), "text and operational baselines");
        java.util.List<dev.driftwatch.schemas.avro.InferenceEvent> events = new java.util.ArrayList<>();
        dev.driftwatch.streams.replay.EventFileReader.open(out).read(events::add,
                new dev.driftwatch.streams.replay.BadRecords());
        assertEquals(40, events.size());
        assertEquals(64, events.get(0).getEmbeddings().get("prompt").size());
        assertTrue(events.get(0).getTexts().containsKey("prompt"));
        CliRun bad = CliRun.of("sample", "--scenario", "chess", "--output", dir.resolve("z.avro").toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, bad.exit());
        assertEquals("driftwatch sample: --scenario 'chess' is not known; use ctr or llm", bad.err().strip());
    }
}
