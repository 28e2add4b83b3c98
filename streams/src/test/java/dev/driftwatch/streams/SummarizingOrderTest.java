package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The summarising stage finds a window's subjects by the position at which the previous event named
 * them. Events whose features come and go (so that every position shifts from one event to the next),
 * and a feature that first appears in the middle of a window, must still count every value on its own
 * subject.
 */
class SummarizingOrderTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    @Test
    void shouldCountEveryValueOnItsOwnSubjectWhenFeaturesComeAndGo() {
        Random r = new Random(21);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            publishBaselines(f, r);
            for (int i = 0; i < 60; i++) {
                Map<String, Double> numeric = new LinkedHashMap<>();
                if (i % 3 == 0) {
                    numeric.put("b", 100 + r.nextGaussian());
                }
                if (i % 4 != 3) {
                    numeric.put("a", r.nextGaussian());
                }
                if (i >= 30 && i % 2 == 0) {
                    numeric.put("c", i % 10 == 0 ? Double.NaN : 5.0);
                }
                Map<String, String> categorical = new LinkedHashMap<>();
                if (i % 7 == 0) {
                    categorical.put("j", "z");
                }
                if (i % 5 != 0) {
                    categorical.put("k", i % 2 == 0 ? "x" : "y");
                }
                Double score = i % 2 == 1 ? 0.25 : null;
                f.send(f.event("m", "1", T0 + i * 100L, numeric, categorical, score));
            }
            f.send(f.event("m", "1", T0 + 3 * MINUTE, Map.of("a", 0.0), Map.of(), null));
            List<WindowStats> stats = f.readStats();

            // Hand counts over i = 0..59: a when i % 4 != 3, b when i % 3 == 0, c for even i >= 30 (NaN at
            // 30, 40, 50), j when i % 7 == 0, k when i % 5 != 0, the score for odd i.
            assertEquals(45, find(stats, "a").getSampleSize());
            assertEquals(20, find(stats, "b").getSampleSize());
            assertEquals(12, find(stats, "c").getSampleSize());
            // Missing: the 3 NaN and the 45 events without c (absent values count as missing, issue 23).
            assertEquals(3 + 45, find(stats, "c").getMissingCount());
            assertEquals(9, find(stats, "j").getSampleSize());
            assertEquals(48, find(stats, "k").getSampleSize());
            assertEquals(30, find(stats, "output.score").getSampleSize());
            // Values on the wrong subject (a's near 0 on b's baseline near 100, or the reverse) would give a
            // PSI in the tens; each on its own baseline's distribution gives a small one.
            assertTrue(psi(find(stats, "a")) < 1.0, "PSI of a: " + psi(find(stats, "a")));
            assertTrue(psi(find(stats, "b")) < 1.0, "PSI of b: " + psi(find(stats, "b")));
        }
    }

    /**
     * Runs of events with the same names in the same order take a path without name comparisons; the
     * order swaps between runs (and a run with one feature fewer sits in between), and every value must
     * still land on its own subject.
     */
    @Test
    void shouldCountEveryValueOnItsOwnSubjectWhenTheOrderSwapsBetweenRuns() {
        Random r = new Random(22);
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            publishBaselines(f, r);
            for (int i = 0; i < 60; i++) {
                int run = i / 5; // runs of five: a,b / b,a / a / a,b / b,a / a ...
                Map<String, Double> numeric = new LinkedHashMap<>();
                Map<String, String> categorical = new LinkedHashMap<>();
                if (run % 3 == 0) {
                    numeric.put("a", r.nextGaussian());
                    numeric.put("b", 100 + r.nextGaussian());
                    categorical.put("j", "z");
                    categorical.put("k", "x");
                } else if (run % 3 == 1) {
                    numeric.put("b", 100 + r.nextGaussian());
                    numeric.put("a", r.nextGaussian());
                    categorical.put("k", "y");
                    categorical.put("j", "z");
                } else {
                    numeric.put("a", r.nextGaussian());
                    categorical.put("k", "x");
                }
                f.send(f.event("m", "1", T0 + i * 100L, numeric, categorical, null));
            }
            f.send(f.event("m", "1", T0 + 3 * MINUTE, Map.of("a", 0.0), Map.of(), null));
            List<WindowStats> stats = f.readStats();

            // Runs 0..11: a in all 60 events, b and j in the 40 of runs with run % 3 != 2, k in all 60.
            assertEquals(60, find(stats, "a").getSampleSize());
            assertEquals(40, find(stats, "b").getSampleSize());
            assertEquals(40, find(stats, "j").getSampleSize());
            assertEquals(60, find(stats, "k").getSampleSize());
            assertTrue(psi(find(stats, "a")) < 1.0, "PSI of a: " + psi(find(stats, "a")));
            assertTrue(psi(find(stats, "b")) < 1.0, "PSI of b: " + psi(find(stats, "b")));
        }
    }

    /** Baselines of a (near 0) and b (near 100): a value on the wrong one gives a PSI in the tens. */
    private static void publishBaselines(PipelineFixture f, Random r) {
        double[] a = new double[2000];
        double[] b = new double[2000];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextGaussian();
            b[i] = 100 + r.nextGaussian();
        }
        f.publishNumericBaseline("m", "1", "a", a);
        f.publishNumericBaseline("m", "1", "b", b);
    }

    private static WindowStats find(List<WindowStats> stats, String subject) {
        return stats.stream()
                .filter(s -> s.getSubject().equals(subject) && s.getWindowStart().toEpochMilli() == T0)
                .findFirst().orElseThrow(() -> new AssertionError("no stats for " + subject));
    }

    private static double psi(WindowStats s) {
        for (TestStatistic t : s.getStatistics()) {
            if (t.getTest().equals("psi")) {
                return t.getValue();
            }
        }
        throw new AssertionError("no PSI for " + s.getSubject());
    }
}
