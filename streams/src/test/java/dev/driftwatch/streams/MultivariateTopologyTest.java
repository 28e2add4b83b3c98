package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.multivariate.MultivariateBaseline;
import dev.driftwatch.streams.multivariate.MultivariateSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Multivariate drift on the whole topology (TopologyTestDriver): the butterfly, two standard normal features
 * whose correlation turns from +0.9 to -0.9 so that neither feature's own distribution changes, fires the
 * {@code *multivariate*} subject and no univariate one; stationary traffic fires nothing.
 */
class MultivariateTopologyTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final int PER_WINDOW = 150;

    @TempDir
    Path stateDir;

    private static PipelineSettings settings() {
        return PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withSignals(Signals.none().with(MultivariateSettings.enabledWithDefaults()));
    }

    /** Publishes the univariate baselines of x and y and the multivariate one, all from one reference sample. */
    private static void publishBaselines(PipelineFixture f, Random rnd) {
        int n = 5_000;
        double[][] ref = butterfly(rnd, n, 0.9);
        f.publishNumericBaseline("m", "1", "x", ref[0]);
        f.publishNumericBaseline("m", "1", "y", ref[1]);
        MultivariateBaseline mv = MultivariateBaseline.fit("m", "1", Map.of("x", ref[0], "y", ref[1]), Map.of(), 0.9,
                250, 10, "test:butterfly", null, null);
        f.baselines.pipeInput(BaselineCodec.key("m", "1", MultivariateBaseline.SUBJECT), mv.avro(), Instant.EPOCH);
    }

    /** Sends one window of traffic with the given correlation, in minute {@code window} after T0. */
    private static void sendWindow(PipelineFixture f, Random rnd, int window, double rho) {
        double[][] xy = butterfly(rnd, PER_WINDOW, rho);
        for (int i = 0; i < PER_WINDOW; i++) {
            long time = T0 + window * MINUTE + i * (MINUTE / PER_WINDOW);
            f.send(f.event("m", "1", time, Map.of("x", xy[0][i], "y", xy[1][i]), Map.of(), null));
        }
    }

    private static void closeWindowsUpTo(PipelineFixture f, int windows) {
        f.send(f.event("m", "1", T0 + windows * MINUTE + MINUTE / 2, Map.of("x", 0.0, "y", 0.0), Map.of(), null));
    }

    @Test
    void shouldFireTheMultivariateSubjectAndNoUnivariateOneWhenTheCorrelationTurns() {
        Random rnd = new Random(2026);
        try (PipelineFixture f = new PipelineFixture(settings(), stateDir)) {
            publishBaselines(f, rnd);
            for (int w = 0; w < 3; w++) {
                sendWindow(f, rnd, w, 0.9);
            }
            for (int w = 3; w < 6; w++) {
                sendWindow(f, rnd, w, -0.9);
            }
            closeWindowsUpTo(f, 6);
            List<DriftAlert> alerts = f.readAlerts();
            List<DriftAlert> multivariate = alerts.stream()
                    .filter(a -> a.getSubject().equals(MultivariateBaseline.SUBJECT)).toList();
            assertEquals(1, multivariate.size(), "one FIRING, nothing else: " + alerts);
            DriftAlert fired = multivariate.get(0);
            assertEquals(AlertState.FIRING, fired.getState());
            assertEquals(SubjectKind.MULTIVARIATE, fired.getSubjectKind());
            assertEquals(DriftTest.RECONSTRUCTION_ERROR, fired.getTest());
            assertEquals(Instant.ofEpochMilli(T0 + 3 * MINUTE), fired.getWindowStart(), "the first turned window fires");
            assertTrue(fired.getStatistic() > 1.0, "the mean error more than doubles: " + fired.getSummary());
            assertTrue(fired.getPValue() < 1e-6, fired.getSummary());
            assertEquals(PER_WINDOW, fired.getCurrentSampleSize());
            assertEquals(5_000L, fired.getReferenceSampleSize());
            assertEquals(List.of(), alerts.stream().filter(a -> a.getSubjectKind() != SubjectKind.MULTIVARIATE).toList(),
                    "no feature nor dataset alert: every marginal is unchanged");

            List<WindowStats> stats = f.readStats().stream()
                    .filter(s -> s.getSubject().equals(MultivariateBaseline.SUBJECT)).toList();
            assertEquals(6, stats.size());
            for (int w = 0; w < 6; w++) {
                assertEquals(w >= 3, stats.get(w).getDrifting(), "window " + w);
                TestStatistic mean = stats.get(w).getStatistics().get(0);
                assertEquals("reconstruction_error", mean.getTest());
                if (w >= 3) {
                    assertTrue(mean.getOverThreshold(), "window " + w + " mean " + mean.getValue());
                }
            }
        }
    }

    @Test
    void shouldStayQuietOnStationaryTraffic() {
        Random rnd = new Random(7);
        try (PipelineFixture f = new PipelineFixture(settings(), stateDir)) {
            publishBaselines(f, rnd);
            for (int w = 0; w < 8; w++) {
                sendWindow(f, rnd, w, 0.9);
            }
            closeWindowsUpTo(f, 8);
            assertEquals(List.of(), f.readAlerts());
            List<WindowStats> stats = f.readStats().stream()
                    .filter(s -> s.getSubject().equals(MultivariateBaseline.SUBJECT)).toList();
            assertEquals(8, stats.size());
            stats.forEach(s -> assertFalse(s.getDrifting(), s.toString()));
        }
    }

    @Test
    void shouldJudgeNoWindowWithFewerEventsThanTheMinimum() {
        Random rnd = new Random(11);
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withSignals(Signals.none().with(MultivariateSettings.enabledWithDefaults().withMinEvents(1_000)));
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            publishBaselines(f, rnd);
            sendWindow(f, rnd, 0, -0.9);
            closeWindowsUpTo(f, 1);
            assertEquals(List.of(), f.readAlerts());
            WindowStats s = f.readStats().stream()
                    .filter(w -> w.getSubject().equals(MultivariateBaseline.SUBJECT)).findFirst().orElseThrow();
            assertTrue(s.getInsufficientData());
            assertFalse(s.getDrifting());
        }
    }

    private static double[][] butterfly(Random rnd, int n, double rho) {
        double[][] xy = new double[2][n];
        for (int i = 0; i < n; i++) {
            double a = rnd.nextGaussian();
            xy[0][i] = a;
            xy[1][i] = rho * a + Math.sqrt(1 - rho * rho) * rnd.nextGaussian();
        }
        return xy;
    }
}
