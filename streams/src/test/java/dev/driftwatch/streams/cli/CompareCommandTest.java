package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompareCommandTest {
    @TempDir
    Path dir;

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private CliRun compare(Path ref, Path cur, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "compare";
        args[1] = "--reference=" + ref;
        args[2] = "--current=" + cur;
        args[3] = "--format=json";
        System.arraycopy(more, 0, args, 4, more.length);
        return run(args);
    }

    @Test
    void shouldPrintOneJsonObjectWithEveryTestPerColumnType() throws IOException {
        Path ref = write("ref.csv", "x,colour\n1,red\n2,red\n3,blue\n4,\n5,blue\nNaN,red\n");
        Path cur = write("cur.csv", "x,colour\n3,red\n4,green\n5,green\n6,green\ninf,red\n");
        CliRun r = compare(ref, cur);
        assertEquals(0, r.exit(), r.err());
        String json = r.out().trim();
        assertTrue(json.startsWith("{\"columns\":[") && json.endsWith("}"), json);
        assertTrue(json.contains("\"name\":\"x\",\"type\":\"numeric\",\"reference_count\":5,\"current_count\":4,"
                + "\"reference_missing\":1,\"current_missing\":1"), json);
        assertTrue(json.contains("\"name\":\"colour\",\"type\":\"categorical\",\"reference_count\":5,"
                + "\"current_count\":5,\"reference_missing\":1,\"current_missing\":0"), json);
        assertTrue(json.contains("\"ks\":{\"statistic\":0.4,\"p_value\":"), json);
        assertTrue(json.contains("\"chisq\":{\"statistic\":"), json);
        assertTrue(json.contains("\"dataset_drift\":{"), json);
        assertEquals(1, json.lines().count());
    }

    @Test
    void shouldTreatNamedColumnsAsCategoricalAndMixedColumnsAsCategoricalInBothFiles() throws IOException {
        Path ref = write("ref.csv", "code,level\n1,1\n2,2\n1,3\n");
        Path cur = write("cur.csv", "code,level\n1,low\n2,2\n2,3\n");
        CliRun r = compare(ref, cur, "--categorical", "code");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"name\":\"code\",\"type\":\"categorical\""), r.out());
        assertTrue(r.out().contains("\"name\":\"level\",\"type\":\"categorical\""), r.out());
    }

    @Test
    void shouldReadQuotedFieldsWithCommasAndQuotes() throws IOException {
        Path ref = write("ref.csv", "city,n\r\n\"Paris, FR\",1\r\n\"a \"\"quoted\"\" name\",2\r\n");
        Path cur = write("cur.csv", "city,n\n\"Paris, FR\",1\n\"Paris, FR\",2\n");
        CliRun r = compare(ref, cur);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\"name\":\"city\",\"type\":\"categorical\",\"reference_count\":2"), r.out());
    }

    @Test
    void shouldFailWithOneLineAndStatusTwoOnBadInput() throws IOException {
        Path good = write("good.csv", "a,b\n1,2\n");
        assertBadInput(compare(dir.resolve("missing.csv"), good), "file not found");
        assertBadInput(compare(write("empty.csv", ""), good), "is empty");
        assertBadInput(compare(write("header-only.csv", "a,b\n"), good), "has no data rows or records");
        assertBadInput(compare(write("other.csv", "a,c\n1,2\n"), good), "column 'c'");
        assertBadInput(compare(write("ragged.csv", "a,b\n1,2\n3\n"), good), "line 3: 1 fields");
        assertBadInput(compare(write("dup.csv", "a,a\n1,2\n"), good), "appears twice");
        assertBadInput(compare(good, good, "--bins", "0"), "bins must be between 1 and 10000, got 0");
        assertBadInput(compare(good, good, "--categorical", "zzz"), "--categorical names column 'zzz'");
        CliRun usage = run("compare", "--reference", good.toString());
        assertEquals(2, usage.exit());
        assertTrue(usage.err().contains("--current"), usage.err());
    }

    private static void assertBadInput(CliRun r, String expected) {
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.out().contains("{"));
    }

    @Test
    void shouldExitOneOnDriftOnlyWhenAsked() throws IOException {
        StringBuilder a = new StringBuilder("x\n");
        StringBuilder b = new StringBuilder("x\n");
        for (int i = 0; i < 200; i++) {
            a.append(i).append('\n');
            b.append(i + 150).append('\n');
        }
        Path ref = write("a.csv", a.toString());
        Path cur = write("b.csv", b.toString());
        assertEquals(0, compare(ref, cur).exit());
        assertEquals(1, compare(ref, cur, "--fail-on-drift").exit());
        CliRun text = run("compare", "--reference", ref.toString(), "--current", cur.toString());
        assertTrue(text.out().contains("dataset drift: YES"), text.out());
    }

    @Test
    void shouldExplainItselfInHelp() {
        CliRun r = run("compare", "--help");
        assertEquals(0, r.exit());
        for (String option : new String[] {"--reference", "--current", "--bins", "--categorical", "--format"}) {
            assertTrue(r.out().contains(option), option);
        }
    }

    @Test
    void shouldWriteAnHtmlReportBesideTheUnchangedTextOutput() throws IOException {
        StringBuilder ref = new StringBuilder("age,device\n");
        StringBuilder cur = new StringBuilder("age,device\n");
        for (int i = 0; i < 200; i++) {
            ref.append(20 + i % 40).append(',').append(i % 3 == 0 ? "mobile" : "desktop").append('\n');
            cur.append(40 + i % 40).append(',').append(i % 3 == 0 ? "mobile" : "desktop").append('\n');
        }
        Path r = write("ref.csv", ref.toString());
        Path c = write("cur.csv", cur.toString());
        Path html = dir.resolve("drift.html");
        CliRun plain = run("compare", "--reference=" + r, "--current=" + c);
        CliRun withReport = run("compare", "--reference=" + r, "--current=" + c, "--report=" + html);
        assertEquals(0, withReport.exit(), withReport.err());
        assertEquals(plain.out(), withReport.out(), "the text output does not change with --report");
        String page = Files.readString(html);
        assertTrue(page.contains("ref.csv") && page.contains("cur.csv"), "names both files");
        assertTrue(page.contains("<table class=\"features\""), "the per-feature table");
        assertTrue(page.contains("data-feature=\"age\" data-drift=\"true\""), "age drifted");
        assertTrue(page.contains("data-feature=\"device\" data-drift=\"false\""), "device did not");
        assertTrue(page.indexOf("data-feature=\"age\"") < page.indexOf("data-feature=\"device\""), "drifted first");
        // The reference's first decile is 23.9 (numpy's linear quantile of 20..59, five of each).
        assertTrue(page.contains("&lt; 23.9<"), "short bin labels");
        assertFalse(page.contains(".000"), "no 22.000-style labels");
        assertFalse(page.contains("http://") || page.contains("https://"), "self-contained");
    }

    @Test
    void shouldRefuseAReportInAFolderThatDoesNotExist() throws IOException {
        Path r = write("ref.csv", "x\n1\n2\n");
        CliRun run = run("compare", "--reference=" + r, "--current=" + r, "--report=" + dir.resolve("no/such/r.html"));
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--report") && run.err().contains("does not exist"), run.err());
        assertEquals(1, run.err().lines().count(), run.err());
    }
}
