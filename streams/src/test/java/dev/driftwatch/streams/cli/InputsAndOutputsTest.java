package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every command does with an input without data (refuses it alike, one line, exit 2) and with
 * outputs of which one cannot be written (writes none of them).
 */
class InputsAndOutputsTest {
    @TempDir
    Path dir;

    private Path sample(String name, String... more) {
        Path file = dir.resolve(name);
        List<String> args = new java.util.ArrayList<>(List.of("sample", "--output", file.toString(), "--windows", "1",
                "--events-per-window", "20", "--training-rows", "200"));
        args.addAll(List.of(more));
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.err());
        return file;
    }

    private static void assertRefusedInOneLine(CliRun r, String... mentions) {
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(1, lines.size(), r.err());
        for (String m : mentions) {
            assertTrue(lines.get(0).contains(m), "should name '" + m + "': " + r.err());
        }
    }

    @Test
    void shouldRefuseAHeaderOnlyCsvAlikeInEveryCommand() throws IOException {
        Path events = sample("events.csv", "--baselines", dir.resolve("baselines.json").toString());
        Path headerOnly = Files.writeString(dir.resolve("header-only.csv"), Files.readAllLines(events).get(0) + "\n");
        Path training = Files.writeString(dir.resolve("train.csv"), "x\n1\n2\n3\n");
        Path trainingHeaderOnly = Files.writeString(dir.resolve("train-header-only.csv"), "x\n");
        String expected = "has no data rows or records";
        assertRefusedInOneLine(CliRun.of("analyze", "--input", headerOnly.toString(), "--baseline",
                dir.resolve("baselines.json").toString()), headerOnly.toString(), expected);
        assertRefusedInOneLine(CliRun.of("replay", "--input", headerOnly.toString(), "--dry-run"),
                headerOnly.toString(), expected);
        assertRefusedInOneLine(CliRun.of("compare", "--reference", training.toString(), "--current",
                trainingHeaderOnly.toString()), trainingHeaderOnly.toString(), expected);
        assertRefusedInOneLine(CliRun.of("baseline", "--input", trainingHeaderOnly.toString(), "--model", "m",
                "--version", "1", "--dry-run"), trainingHeaderOnly.toString(), expected);
    }

    @Test
    void shouldWriteNoOutputOfAnalyzeWhenOneCannotBeWritten() throws IOException {
        Path events = sample("events.avro", "--baselines", dir.resolve("baselines.json").toString());
        Path json = dir.resolve("a.json");
        Path report = dir.resolve("missing").resolve("r.html");
        CliRun r = CliRun.of("analyze", "--input", events.toString(), "--baseline",
                dir.resolve("baselines.json").toString(), "--json", json.toString(), "--report", report.toString());
        assertRefusedInOneLine(r, "--report", report.toString(), "does not exist");
        assertFalse(Files.exists(json), "no --json file when --report cannot be written");
        assertEquals(List.of(), leftovers());

        Files.writeString(json, "an earlier result");
        CliRun same = CliRun.of("analyze", "--input", events.toString(), "--baseline",
                dir.resolve("baselines.json").toString(), "--json", json.toString(), "--report", dir.toString());
        assertRefusedInOneLine(same, "--report", "is a folder");
        assertEquals("an earlier result", Files.readString(json), "an existing output is left as it was");
    }

    @Test
    void shouldWriteNoOutputOfSampleOrBaselineWhenOneCannotBeWritten() throws IOException {
        Path events = dir.resolve("events.jsonl");
        Path baselines = dir.resolve("missing").resolve("baselines.json");
        CliRun r = CliRun.of("sample", "--output", events.toString(), "--baselines", baselines.toString());
        assertRefusedInOneLine(r, "--baselines", "does not exist");
        assertFalse(Files.exists(events), "no events file when --baselines cannot be written");

        Path training = Files.writeString(dir.resolve("train.csv"), "x\n1\n2\n3\n");
        Path output = dir.resolve("nowhere").resolve("b.json");
        CliRun b = CliRun.of("baseline", "--input", training.toString(), "--model", "m", "--version", "1",
                "--output", output.toString(), "--dry-run");
        assertRefusedInOneLine(b, "--output", "does not exist");
        assertFalse(r.out().contains("wrote") || b.out().contains("dry run"), r.out() + b.out());
        assertEquals(List.of(), leftovers());
    }

    /** Temporary files of outputs, which must never stay behind. */
    private List<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".part")).toList();
        }
    }
}
