package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BaselineCommandTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content);
        return p;
    }

    private Path training() throws IOException {
        return write("train.csv", "age,country,output.score,output.label\n"
                + "31,FR,0.9,yes\n42,DE,0.2,no\n,FR,0.4,no\n57,FR,NaN,1\n23,,0.7,yes\n");
    }

    @Test
    void shouldPrintOneLinePerSubjectAndACountOnADryRun() throws IOException {
        CliRun r = CliRun.of("baseline", "--input", training().toString(), "--model", "churn", "--version", "7", "--dry-run");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.lines();
        assertEquals(5, lines.size(), r.out());
        assertTrue(lines.get(0).matches("age +numeric +n=4 +missing=1 +bl-[0-9a-f]{16}"), lines.get(0));
        assertTrue(lines.get(1).matches("country +categorical +n=4 +missing=1 +bl-[0-9a-f]{16}"), lines.get(1));
        assertTrue(lines.get(2).matches("output\\.score +numeric +n=4 +missing=1 +bl-[0-9a-f]{16}"), lines.get(2));
        assertTrue(lines.get(3).matches("output\\.label +categorical +n=5 +missing=0 +bl-[0-9a-f]{16}"),
                "output.label is categorical even when a value looks like a number: " + lines.get(3));
        assertEquals("dry run: 4 baselines of model churn version 7 built, nothing published", lines.get(4));
    }

    @Test
    void shouldGiveTheSameIdsForTheSameFileAndTreatNamedColumnsAsCategories() throws IOException {
        Path csv = training();
        CliRun first = CliRun.of("baseline", "--input", csv.toString(), "--model", "m", "--version", "1", "--dry-run");
        CliRun again = CliRun.of("baseline", "--input", csv.toString(), "--model", "m", "--version", "1", "--dry-run");
        assertEquals(first.out(), again.out());
        CliRun categorical = CliRun.of("baseline", "--input", csv.toString(), "--model", "m", "--version", "1", "--dry-run",
                "--categorical", "age");
        assertEquals(0, categorical.exit(), categorical.err());
        assertTrue(categorical.lines().get(0).matches("age +categorical +n=4 +missing=1 .*"), categorical.out());
    }

    @Test
    void shouldWriteTheBaselinesAsJsonWithOutput() throws IOException {
        Path json = dir.resolve("baselines.json");
        CliRun r = CliRun.of("baseline", "--input", training().toString(), "--model", "churn", "--version", "7", "--dry-run",
                "--bins", "3", "--output", json.toString());
        assertEquals(0, r.exit(), r.err());
        String text = Files.readString(json);
        assertTrue(text.startsWith("[\n{") && text.endsWith("}\n]\n"), text);
        assertEquals(4, text.lines().filter(l -> l.startsWith("{")).count(), text);
        assertTrue(text.contains("\"model_id\":\"churn\"") || text.contains("\"modelId\":\"churn\""), text);
        assertTrue(text.contains("\"source\":\"file:train.csv\""), text);
    }

    @Test
    void shouldReadTheJsonThatSampleAndOutputWriteWithFromJson() throws IOException {
        Path sampled = dir.resolve("sampled.json");
        assertEquals(0, CliRun.of("sample", "--output", dir.resolve("t.csv").toString(), "--windows", "1",
                "--events-per-window", "5", "--baselines", sampled.toString(), "--training-rows", "200").exit());
        CliRun all = CliRun.of("baseline", "--from-json", sampled.toString(), "--dry-run");
        assertEquals(0, all.exit(), all.err());
        assertEquals("dry run: 24 baselines of models ctr-model version 1.4.0, ctr-model version 1.5.0 built,"
                + " nothing published", all.lines().get(all.lines().size() - 1));
        assertTrue(all.lines().get(0).matches("ctr-model/1\\.4\\.0/\\S+ +\\S+ +n=\\d+ +missing=\\d+ +bl-[0-9a-f]{16}"),
                all.lines().get(0));
        CliRun one = CliRun.of("baseline", "--from-json", sampled.toString(), "--model", "ctr-model", "--version",
                "1.5.0", "--dry-run");
        assertEquals(0, one.exit(), one.err());
        assertTrue(one.out().contains("dry run: 12 baselines of model ctr-model version 1.5.0 built"), one.out());

        Path written = dir.resolve("written.json");
        CliRun built = CliRun.of("baseline", "--input", training().toString(), "--model", "churn", "--version", "7",
                "--dry-run", "--output", written.toString());
        assertEquals(0, built.exit(), built.err());
        CliRun again = CliRun.of("baseline", "--from-json", written.toString(), "--dry-run");
        assertEquals(0, again.exit(), again.err());
        for (int i = 0; i < 4; i++) {
            String id = built.lines().get(i).replaceAll(".* ", "");
            assertTrue(again.lines().get(i).startsWith("churn/7/") && again.lines().get(i).endsWith(id),
                    "the same baseline, the same id: " + again.lines().get(i) + " vs " + built.lines().get(i));
        }
    }

    @Test
    void shouldExitWithStatusTwoAndOneLineOnBadInput() throws IOException {
        Path csv = training();
        String path = csv.toString();
        assertBadInput(CliRun.of("baseline", "--input", dir.resolve("none.csv").toString(), "--model", "m", "--version", "1",
                "--dry-run"), "file not found");
        assertBadInput(CliRun.of("baseline", "--input", path, "--model", "m", "--version", "1", "--dry-run",
                "--categorical", "agee"), "--categorical names [agee]");
        assertBadInput(CliRun.of("baseline", "--input", path, "--model", "m", "--version", "1", "--dry-run",
                "--bins", "0"), "bins");
        assertBadInput(CliRun.of("baseline", "--input", path, "--model", "a/b", "--version", "1", "--dry-run"),
                "--model 'a/b'");
        assertBadInput(CliRun.of("baseline", "--input", write("out.csv", "x,output.logit\n1,2\n").toString(),
                "--model", "m", "--version", "1", "--dry-run"), "'output.logit'", "output.score");
        assertBadInput(CliRun.of("baseline", "--input", write("txt.csv", "x,output.score\n1,high\n").toString(),
                "--model", "m", "--version", "1", "--dry-run"), "'output.score'", "must be numeric");
        assertBadInput(CliRun.of("baseline", "--input", write("empty.csv", "x,y\n1,\nNaN,\n").toString(),
                "--model", "m", "--version", "1", "--dry-run"), "column 'y'", "no usable value");
        assertBadInput(CliRun.of("baseline", "--input", path, "--model", "m", "--version", "1"),
                "bootstrap.servers is not set");
        assertBadInput(CliRun.of("baseline", "--input", path, "--dry-run"), "--model MODEL --version VERSION");
        assertBadInput(CliRun.of("baseline", "--from-json", path, "--input", path, "--dry-run"), "without --input");
        assertBadInput(CliRun.of("baseline", "--from-json", path, "--dry-run"), "is not JSON");
        assertBadInput(CliRun.of("baseline", "--input", path, "--model", "m", "--version", "1",
                "--bootstrap-servers", "no-port"), "bootstrap.servers", "no-port", "on the command line");
    }

    private static void assertBadInput(CliRun r, String... parts) {
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        String line = r.err().lines().filter(l -> l.startsWith("driftwatch baseline: ")).findFirst().orElse("");
        for (String part : parts) {
            assertTrue(line.contains(part), "expected '" + part + "' in: " + r.err());
        }
        assertFalse(r.out().contains("published"), r.out());
    }

    @Test
    void shouldFitOneEmbeddingBaselinePerColumnOfAnEmbeddingsFile() throws IOException {
        Path csv = dir.resolve("prompts.csv");
        StringBuilder text = new StringBuilder("prompt,response\n");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 300; i++) {
            text.append('"');
            for (int j = 0; j < 8; j++) {
                text.append(j == 0 ? "" : " ").append(random.nextGaussian());
            }
            text.append("\",");
            for (int j = 0; j < 4; j++) {
                text.append(j == 0 ? "" : ";").append(random.nextGaussian());
            }
            text.append('\n');
        }
        text.append(",0.1;0.2;0.3;0.4\n");
        Files.writeString(csv, text.toString());
        CliRun r = CliRun.of("baseline", "--embeddings", csv.toString(), "--model", "chat", "--version", "7",
                "--dry-run");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.lines();
        assertTrue(lines.get(0).matches("embedding\\.prompt +embedding +n=300 +missing=1 +[0-9a-f]{64}"), lines.get(0));
        assertTrue(lines.get(1).matches("embedding\\.response +embedding +n=301 +missing=0 +[0-9a-f]{64}"),
                lines.get(1));
        Files.writeString(csv, "prompt\n\"1 2 3\"\n\"1 2\"\n");
        CliRun bad = CliRun.of("baseline", "--embeddings", csv.toString(), "--model", "chat", "--version", "7",
                "--dry-run");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, bad.exit());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().contains("row 3") && bad.err().contains("has 2 values; its first vector had 3"), bad.err());
    }
}
