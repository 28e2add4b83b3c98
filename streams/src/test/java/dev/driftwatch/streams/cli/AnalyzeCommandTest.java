package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.demo.DemoTraffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AnalyzeCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldFindTheInjectedDriftAndWriteJsonAndASelfContainedReport() throws IOException {
        Path traffic = dir.resolve("traffic.jsonl");
        Path baselines = dir.resolve("baselines.json");
        CliRun sample = CliRun.of("sample", "--output", traffic.toString(), "--baselines", baselines.toString(),
                "--windows", "3", "--events-per-window", "400", "--drift-from", "1", "--training-rows", "5000");
        assertEquals(0, sample.exit(), sample.err());
        Path json = dir.resolve("out.json");
        Path report = dir.resolve("report.html");
        CliRun r = CliRun.of("analyze", "--input", traffic.toString(), "--baseline", baselines.toString(),
                "--window-size", "PT1M", "--grace", "0", "--json", json.toString(), "--report", report.toString());
        assertEquals(0, r.exit(), r.err());
        // 90 drift records (3 windows, 2 versions, 15 subjects) and 72 data-quality ones (the 12 features and outputs)
        assertTrue(r.out().contains("analyzed 2,400 events (jsonl): 162 window statistics"), r.out());
        var firing = r.out().lines().filter(l -> l.startsWith("FIRING") && l.contains(" 1.5.0 "))
                .map(l -> l.split("\\s+")[4]).filter(s -> !s.startsWith("output."))
                .collect(Collectors.toCollection(TreeSet::new));
        assertTrue(firing.containsAll(DemoTraffic.DRIFTING_FEATURES), r.out());
        String text = Files.readString(json);
        assertTrue(text.startsWith("{\"events\":2400,\"dead_letters\":0,"), text.substring(0, 80));
        assertTrue(text.contains("\"window_stats\":[") && text.contains("\"alertId\""));
        String html = Files.readString(report);
        assertTrue(html.contains("<svg class=\"chart\""));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("src="),
                "nothing is fetched: no URL and no external resource");
        assertTrue(html.contains("Business metrics (CTR)") && html.contains("Not available"));
    }

    @Test
    void shouldEvaluateEveryWindowOfOldTrafficWithAQuietPeriodOfThreeDays() throws IOException {
        Path before = dir.resolve("before.jsonl");
        Path after = dir.resolve("after.jsonl");
        Path baselines = dir.resolve("baselines.json");
        assertEquals(0, CliRun.of("sample", "--output", before.toString(), "--baselines", baselines.toString(),
                "--windows", "2", "--events-per-window", "200", "--training-rows", "2000", "--start",
                "2026-11-01T09:00:00Z").exit());
        assertEquals(0, CliRun.of("sample", "--output", after.toString(), "--windows", "2", "--events-per-window",
                "200", "--start", "2026-11-04T09:00:00Z", "--seed", "7").exit());
        Path both = dir.resolve("both.jsonl");
        Files.writeString(both, Files.readString(before) + Files.readString(after));
        String[] options = {"--baseline", baselines.toString(), "--window-size", "PT1M", "--grace", "0",
            "--fail-on-bad"};
        CliRun one = CliRun.of(concat(new String[] {"analyze", "--input", before.toString()}, options));
        assertEquals(0, one.exit(), one.err());
        // 60 drift records and 48 data-quality ones (on by default), per 2 windows
        assertTrue(one.out().contains("analyzed 800 events (jsonl): 108 window statistics"), one.out());
        CliRun r = CliRun.of(concat(new String[] {"analyze", "--input", both.toString()}, options));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("analyzed 1,600 events (jsonl): 216 window statistics"), r.out());
        assertTrue(r.out().contains(" 0 dead letters"), r.out());
    }

    private static String[] concat(String[] a, String[] b) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(a), java.util.Arrays.stream(b))
                .toArray(String[]::new);
    }

    @Test
    void shouldBuildBaselinesFromATrainingCsvForTheNamedModelVersion() throws IOException {
        Path traffic = dir.resolve("traffic.csv");
        assertEquals(0, CliRun.of("sample", "--output", traffic.toString(), "--windows", "2", "--events-per-window",
                "200").exit());
        Path training = dir.resolve("train.csv");
        DemoTraffic t = new DemoTraffic(5);
        StringBuilder csv = new StringBuilder("age,income,device,output.score\n");
        for (int i = 0; i < 2000; i++) {
            Map<String, Object> row = t.row(false);
            csv.append(row.get("age")).append(',').append(row.get("income")).append(',').append(row.get("device"))
                    .append(',').append(row.get("output.score")).append('\n');
        }
        Files.writeString(training, csv);
        CliRun r = CliRun.of("analyze", "--input", traffic.toString(), "--baseline", training.toString(), "--model",
                "ctr-model", "--version", "1.4.0", "--window-size", "60");
        assertEquals(0, r.exit(), r.err());
        // 60 drift records and 48 data-quality ones (on by default)
        assertTrue(r.out().contains("analyzed 800 events (csv): 108 window statistics"), r.out());
    }

    @Test
    void shouldPrintHelpThoughVersionNamesTheModelVersion() {
        CliRun help = CliRun.of("analyze", "--help");
        assertEquals(0, help.exit(), help.err());
        assertTrue(help.out().contains("Usage: driftwatch analyze"), help.out());
    }

    @Test
    void shouldRefuseMissingFilesACsvBaselineWithoutAModelAndABrokenBaselineFile() throws IOException {
        Path traffic = dir.resolve("traffic.avro");
        assertEquals(0, CliRun.of("sample", "--output", traffic.toString(), "--windows", "1", "--events-per-window",
                "5").exit());
        Path training = dir.resolve("train.csv");
        Files.writeString(training, "age\n1\n2\n");
        CliRun noModel = CliRun.of("analyze", "--input", traffic.toString(), "--baseline", training.toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, noModel.exit());
        assertTrue(noModel.err().contains("is a training CSV: give --model and --version"), noModel.err());
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "[{\"baselineId\": 3}]");
        CliRun bad = CliRun.of("analyze", "--input", traffic.toString(), "--baseline", broken.toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, bad.exit());
        assertTrue(bad.err().contains("element 0 of baseline file " + broken + " is not an Avro JSON Baseline"),
                bad.err());
        CliRun noInput = CliRun.of("analyze", "--input", dir.resolve("none.avro").toString(), "--baseline",
                broken.toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, noInput.exit());
        CliRun noBaseline = CliRun.of("analyze", "--input", traffic.toString(), "--baseline",
                dir.resolve("none.json").toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, noBaseline.exit());
        assertTrue(noBaseline.err().contains("does not exist"), noBaseline.err());
        CliRun window = CliRun.of("analyze", "--input", traffic.toString(), "--baseline", broken.toString(),
                "--window-size", "-PT1M");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, window.exit());
        for (CliRun run : new CliRun[] {noModel, bad, noBaseline, window}) {
            assertEquals(1, run.err().strip().lines().count(), run.err());
        }
    }
}
