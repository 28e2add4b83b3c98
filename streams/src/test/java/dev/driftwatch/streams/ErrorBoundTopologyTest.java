package dev.driftwatch.streams;

import dev.driftwatch.detectors.Comparisons;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every statistic computed from a bounded summary carries its error bound in WindowStats (issue 23: Wasserstein's
 * was always null, documented as exact, while the streaming value differs from the exact one), and the exact
 * value on the same raw values lies within it; statistics on exact counts stay null (exact).
 */
class ErrorBoundTopologyTest {
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    @Test
    void shouldCarryTheWassersteinBoundAndHoldTheExactValueWithinIt() {
        Random r = new Random(46);
        double[] reference = new double[5000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = r.nextGaussian();
        }
        double[][] windows = new double[3][400];
        double[] shifts = {0.0, 0.3, 1.0};
        for (int w = 0; w < windows.length; w++) {
            for (int i = 0; i < windows[w].length; i++) {
                windows[w][i] = shifts[w] + (1 + 0.2 * w) * r.nextGaussian();
            }
        }
        try (PipelineFixture f = new PipelineFixture(PipelineSettings.defaults(Duration.ofMinutes(1)), stateDir)) {
            f.publishNumericBaseline("m", "1", "x", reference);
            for (int w = 0; w < windows.length; w++) {
                for (int i = 0; i < windows[w].length; i++) {
                    f.send(f.event("m", "1", T0 + w * 60_000L + i * 100, Map.of("x", windows[w][i]), Map.of(), null));
                }
            }
            f.send(f.event("m", "1", T0 + 5 * 60_000L, Map.of("x", 0.0), Map.of(), null));
            List<WindowStats> stats = f.readStats();
            assertEquals(3, stats.size(), stats.toString());
            for (int w = 0; w < windows.length; w++) {
                WindowStats s = stats.get(w);
                TestStatistic wasserstein = test(s, "wasserstein");
                assertNotNull(wasserstein.getErrorBound(), "window " + w + ": " + s);
                assertTrue(wasserstein.getErrorBound() > 0 && wasserstein.getErrorBound() < 0.05,
                        "a bound of the grid's size: " + wasserstein.getErrorBound());
                double exact = Comparisons.numeric(reference, windows[w], 10).test(DriftTests.WASSERSTEIN).statistic();
                assertTrue(Math.abs(exact - wasserstein.getValue()) <= wasserstein.getErrorBound(),
                        "window " + w + ": exact " + exact + ", streaming " + wasserstein.getValue() + " ± "
                                + wasserstein.getErrorBound());
                assertNotNull(test(s, "ks").getErrorBound());
                assertNull(test(s, "psi").getErrorBound(), "PSI is exact on the frozen bins");
            }
        }
    }

    private static TestStatistic test(WindowStats s, String id) {
        return s.getStatistics().stream().filter(t -> t.getTest().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + id + " in " + s));
    }
}
