package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code baseline --multivariate}: the *multivariate* baseline of a training file's feature columns. */
class BaselineMultivariateCommandTest {
    @TempDir
    Path dir;

    private Path training() throws IOException {
        StringBuilder csv = new StringBuilder("age,income,country,output.score\n");
        for (int i = 0; i < 60; i++) {
            csv.append(20 + i % 40).append(',').append(i % 7 == 0 ? "" : String.valueOf(1000 + 30 * (i % 40) + i % 3))
                    .append(',').append(i % 3 == 0 ? "FR" : i % 5 == 0 ? "" : "DE").append(',').append(0.1 + i % 8 / 10.0)
                    .append('\n');
        }
        Path p = dir.resolve("train.csv");
        Files.writeString(p, csv);
        return p;
    }

    @Test
    void shouldAddTheMultivariateBaselineOfTheFeatureColumns() throws IOException {
        Path json = dir.resolve("b.json");
        CliRun r = CliRun.of("baseline", "--input", training().toString(), "--model", "m", "--version", "1",
                "--multivariate", "--multivariate-chunk", "10", "--dry-run", "--output", json.toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.lines();
        assertEquals(6, lines.size(), r.out());
        assertTrue(lines.get(4).matches("\\*multivariate\\* +numeric +n=60 +missing=0 +bl-[0-9a-f]{16}"), lines.get(4));
        String text = Files.readString(json);
        assertTrue(text.contains("\"name\":\"country\",\"categorical\":true"), text);
        assertTrue(text.contains("\"referenceRows\":60"), text);
        CliRun again = CliRun.of("baseline", "--from-json", json.toString(), "--dry-run");
        assertEquals(0, again.exit(), again.err());
        assertTrue(again.out().contains("m/1/*multivariate*"), again.out());
    }

    @Test
    void shouldRefuseWhatCannotBeFittedInOneLine() throws IOException {
        Path one = dir.resolve("one.csv");
        Files.writeString(one, "age,output.score\n1,0.5\n2,0.4\n3,0.1\n");
        CliRun r = CliRun.of("baseline", "--input", one.toString(), "--model", "m", "--version", "1", "--multivariate",
                "--dry-run");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("1 feature column(s); multivariate drift needs at least 2"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        CliRun share = CliRun.of("baseline", "--input", training().toString(), "--model", "m", "--version", "1",
                "--multivariate", "--multivariate-share", "1.5", "--dry-run");
        assertEquals(2, share.exit());
        assertTrue(share.err().contains("--multivariate-share 1.5 is out of range"), share.err());
    }
}
