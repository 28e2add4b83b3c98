package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.PerformanceReference;
import dev.driftwatch.streams.analyze.BaselineFiles;
import dev.driftwatch.streams.performance.PerformanceBaseline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch baseline --performance LABELLED.csv}: the *performance* baseline of a labelled file, against the
 * numpy/scipy values of {@code src/test/resources/performance/generate_performance_baseline.py} (exact AUC by
 * Mann-Whitney with midranks, log loss, Brier, calibration, base rate; 1e-9), and one-line errors (exit 2) naming
 * the bad column or value.
 */
class BaselinePerformanceCommandTest {
    @TempDir
    Path dir;

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(BaselinePerformanceCommandTest.class.getResource("/performance/" + name).toURI());
    }

    private static Map<String, Double> expected() throws IOException, URISyntaxException {
        Map<String, Double> e = new HashMap<>();
        for (String line : Files.readAllLines(resource("labelled-expected.txt"))) {
            if (!line.startsWith("#")) {
                String[] t = line.split(" ");
                e.put(t[0], Double.parseDouble(t[1]));
            }
        }
        return e;
    }

    @Test
    void shouldBuildThePerformanceBaselineOfALabelledFileAsNumpyDoes() throws Exception {
        Path json = dir.resolve("baselines.json");
        CliRun r = CliRun.of("baseline", "--performance", resource("labelled.csv").toString(), "--performance-label",
                "clicked", "--model", "ctr", "--version", "2", "--dry-run", "--output", json.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("*performance*  categorical  n=3000"), r.out());
        assertTrue(r.out().contains("roc_auc=0.7291"), r.out());
        List<Baseline> written = BaselineFiles.readJson(json);
        assertEquals(1, written.size());
        Baseline b = written.get(0);
        assertEquals("*performance*", b.getFeature());
        Map<String, Double> e = expected();
        PerformanceReference ref = b.getPerformance();
        assertEquals(e.get("rows").longValue(), ref.getLabelled());
        assertEquals(e.get("positives").longValue(), ref.getPositives());
        assertEquals(e.get("score_sum"), ref.getPredictedPositives(), 1e-9);
        assertEquals(0.0, ref.getRocAucErrorBound(), "the file's AUC is exact");
        PerformanceBaseline p = PerformanceBaseline.from(b).orElseThrow();
        assertEquals(e.get("roc_auc"), p.rocAuc(), 1e-9);
        assertEquals(e.get("log_loss"), p.logLoss(), 1e-9);
        assertEquals(e.get("brier"), p.brier(), 1e-9);
        assertEquals(e.get("calibration"), p.calibration(), 1e-9);
        assertEquals(e.get("base_rate"), p.baseRate(), 1e-12);
        assertEquals(480L, b.getCategoryCounts().get(PerformanceBaseline.CLICK));
        assertEquals(100, ref.getPositiveCounts().size(), "performance.score.bins histograms");
        // The same file gives the same id; another model version's file another baseline, not another id.
        CliRun again = CliRun.of("baseline", "--performance", resource("labelled.csv").toString(),
                "--performance-label", "clicked", "--model", "ctr", "--version", "2", "--dry-run");
        assertTrue(again.out().contains(b.getBaselineId()), again.out());
    }

    @Test
    void shouldRefuseAMissingColumnOrABadCellInOneLineWithStatusTwo() throws Exception {
        CliRun noLabel = CliRun.of("baseline", "--performance", resource("labelled.csv").toString(), "--model", "m",
                "--version", "1", "--dry-run");
        assertBad(noLabel, "has no column 'label'", "request_id, output.score, clicked, country", "--performance-label");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "output.score,label\n0.2,1\n0.3,maybe\n");
        assertBad(CliRun.of("baseline", "--performance", bad.toString(), "--model", "m", "--version", "1", "--dry-run"),
                "line 3, column label: 'maybe' is not a label", "1 or 0");
        Files.writeString(bad, "output.score,label\n0.2,1\n1.7,0\n");
        assertBad(CliRun.of("baseline", "--performance", bad.toString(), "--model", "m", "--version", "1", "--dry-run"),
                "line 3, column output.score: '1.7' is not a score", "[0, 1]");
        Files.writeString(bad, "output.score,label\n");
        assertBad(CliRun.of("baseline", "--performance", bad.toString(), "--model", "m", "--version", "1", "--dry-run"),
                "no rows");
    }

    private static void assertBad(CliRun r, String... parts) {
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        for (String part : parts) {
            assertTrue(r.err().contains(part), r.err());
        }
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
