package dev.driftwatch.streams;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.CommandStatus;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.performance.PerformanceBaseline;
import dev.driftwatch.streams.performance.PerformanceSettings;
import dev.driftwatch.streams.performance.PerformanceSignal;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Realized performance from the outcome join on the whole topology (TopologyTestDriver): the model's clicks fall to
 * half of what its scores predict while its input feature and its scores keep their distributions; the calibration
 * subject fires (kind PERFORMANCE, with the window's CTR context) and no feature drifts.
 */
class PerformanceTopologyTest {
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final int PER_WINDOW = 150;

    @TempDir
    Path stateDir;

    @Test
    void shouldFireOnCalibrationThatDriftsWhileEveryInputFeatureIsStable() {
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withSignals(Signals.none().with(BusinessSettings.enabled(Duration.ofSeconds(10)))
                        .with(PerformanceSettings.enabledWithDefaults().withMinLabelled(100)));
        Random rnd = new Random(21);
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            TestInputTopic<String, OutcomeEvent> outcomes = f.driver.createInputTopic(f.topics.outcomes().name(),
                    Serdes.String().serializer(), f.topics.outcomes().valueSerde().serializer());
            double[] reference = new double[5_000];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = rnd.nextGaussian();
            }
            f.publishNumericBaseline("m", "1", "x", reference);
            for (int w = 0; w < 6; w++) {
                // Windows 3..5: a click is half as likely as the score says.
                double factor = w < 3 ? 1.0 : 0.5;
                for (int i = 0; i < PER_WINDOW; i++) {
                    long time = T0 + w * MINUTE + i * (MINUTE / PER_WINDOW);
                    double score = 0.05 + 0.45 * rnd.nextDouble();
                    InferenceEvent e = f.event("m", "1", time, Map.of("x", rnd.nextGaussian()), Map.of(), score);
                    f.send(e);
                    outcome(outcomes, e.getRequestId(), OutcomeType.IMPRESSION, time + SECOND);
                    if (rnd.nextDouble() < factor * score) {
                        outcome(outcomes, e.getRequestId(), OutcomeType.CLICK, time + 2 * SECOND);
                    }
                }
            }
            f.send(f.event("m", "1", T0 + 8 * MINUTE, Map.of("x", 0.0), Map.of(), 0.2));

            List<DriftAlert> alerts = f.readAlerts();
            List<DriftAlert> performance = alerts.stream()
                    .filter(a -> a.getSubjectKind() == SubjectKind.PERFORMANCE).toList();
            assertEquals(1, performance.size(), alerts.toString());
            DriftAlert fired = performance.get(0);
            assertEquals(PerformanceSignal.CALIBRATION, fired.getSubject());
            assertEquals(AlertState.FIRING, fired.getState());
            assertEquals(DriftTest.CALIBRATION, fired.getTest());
            assertEquals(Instant.ofEpochMilli(T0 + 3 * MINUTE), fired.getWindowStart(), fired.getSummary());
            assertTrue(fired.getStatistic() < -0.3, "about half the predicted clicks: " + fired.getSummary());
            assertTrue(fired.getPValue() < 0.01, fired.getSummary());
            assertEquals(PER_WINDOW, fired.getCurrentSampleSize());
            assertNotNull(fired.getBusinessContext(), "the window's CTR goes with the alert");
            assertNotNull(fired.getBusinessContext().getCurrentCtr());
            assertEquals(List.of(), alerts.stream().filter(a -> a.getSubjectKind() == SubjectKind.FEATURE).toList(),
                    "the input feature is stable");

            List<WindowStats> stats = f.readStats().stream()
                    .filter(s -> s.getSubject().equals(PerformanceSignal.STATS_SUBJECT)).toList();
            assertEquals(6, stats.size());
            for (int w = 0; w < 6; w++) {
                WindowStats s = stats.get(w);
                double calibration = value(s, "calibration");
                assertEquals(w >= 3, s.getDrifting(), "window " + w + " calibration " + calibration);
                assertEquals(w < 3 ? 1.0 : 0.5, calibration, 0.3, "window " + w);
                // The estimate from the scores alone does not see the change: the scores did not move.
                assertEquals(value(stats.get(0), "expected_roc_auc"), value(s, "expected_roc_auc"), 0.05);
                assertNotNull(s.getStatistics().stream().filter(t -> t.getTest().equals("roc_auc")).findFirst()
                        .orElseThrow().getErrorBound());
            }
        }
    }

    @Test
    void shouldCaptureThePerformanceBaselineFromWindowsAndJudgeLaterWindowsRelativeToIt() {
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withSignals(Signals.none().with(BusinessSettings.enabled(Duration.ofSeconds(10)))
                        .with(PerformanceSettings.enabledWithDefaults().withMinLabelled(100)));
        Random rnd = new Random(2121);
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            TestInputTopic<String, OutcomeEvent> outcomes = f.driver.createInputTopic(f.topics.outcomes().name(),
                    Serdes.String().serializer(), f.topics.outcomes().valueSerde().serializer());
            // An over-confident model all along: clicks at half its scores. Without a baseline that is a
            // miscalibration (window 0 fires); judged against the reference captured from windows 0-2, it is not.
            for (int w = 0; w < 6; w++) {
                if (w == 3) {
                    f.send(f.event("m", "1", T0 + 3 * MINUTE + 50 * SECOND, Map.of(), Map.of(), 0.2)); // closes 0-2
                    ControlCommand capture = ControlCommand.newBuilder().setCommandId("cmd-perf")
                            .setType(CommandType.CAPTURE_BASELINE).setIssuedAt(Instant.ofEpochMilli(T0))
                            .setIssuedBy("test").setModelId("m").setModelVersion("1").setSubject(null)
                            .setFrom(Instant.ofEpochMilli(T0)).setTo(Instant.ofEpochMilli(T0 + 3 * MINUTE))
                            .setPolicyVersion(null).setParameters(Map.of()).setReason("test").build();
                    f.control.pipeInput(capture.getCommandId(), capture, Instant.ofEpochMilli(T0 + 4 * MINUTE));
                    ControlResult result = f.controlResults.readValue();
                    assertEquals(CommandStatus.ACCEPTED, result.getStatus(), String.valueOf(result.getReason()));
                    Baseline captured = f.baselinesOut.readValuesToList().stream()
                            .filter(b -> b.getFeature().equals(PerformanceBaseline.SUBJECT)).findFirst().orElseThrow();
                    assertTrue(result.getDetails().get("performanceBaseline").contains(captured.getBaselineId()),
                            result.toString());
                    PerformanceBaseline ref = PerformanceBaseline.from(captured).orElseThrow();
                    assertEquals(3 * PER_WINDOW, ref.labelled());
                    assertEquals(0.5, ref.calibration(), 0.2);
                    assertTrue(ref.rocAucErrorBound() > 0, "captured from histograms: the AUC has a bound");
                    f.baselines.pipeInput(BaselineCodec.key("m", "1", PerformanceBaseline.SUBJECT), captured,
                            Instant.EPOCH);
                }
                for (int i = 0; i < PER_WINDOW; i++) {
                    long time = T0 + w * MINUTE + i * (MINUTE / PER_WINDOW);
                    double score = 0.05 + 0.45 * rnd.nextDouble();
                    InferenceEvent e = f.event("m", "1", time, Map.of(), Map.of(), score);
                    f.send(e);
                    outcome(outcomes, e.getRequestId(), OutcomeType.IMPRESSION, time + SECOND);
                    if (rnd.nextDouble() < 0.5 * score) {
                        outcome(outcomes, e.getRequestId(), OutcomeType.CLICK, time + 2 * SECOND);
                    }
                }
            }
            f.send(f.event("m", "1", T0 + 8 * MINUTE, Map.of(), Map.of(), 0.2));

            List<DriftAlert> calibration = f.readAlerts().stream()
                    .filter(a -> a.getSubject().equals(PerformanceSignal.CALIBRATION)).toList();
            assertEquals(2, calibration.size(), calibration.toString());
            assertEquals(AlertState.FIRING, calibration.get(0).getState());
            assertEquals("config", calibration.get(0).getBaselineSource(), "no baseline yet: against calibration 1");
            assertEquals(AlertState.RESOLVED, calibration.get(1).getState());
            assertTrue(calibration.get(1).getWindowStart().toEpochMilli() >= T0 + 3 * MINUTE,
                    "resolved by a window evaluated after the capture: " + calibration.get(1).getWindowStart());
            assertTrue(calibration.get(1).getBaselineSource().startsWith("windows:"), calibration.get(1).toString());
            List<WindowStats> stats = f.readStats().stream()
                    .filter(s -> s.getSubject().equals(PerformanceSignal.STATS_SUBJECT)).toList();
            WindowStats last = stats.get(stats.size() - 1);
            assertNotNull(last.getBaselineId());
            assertEquals(1.0, value(last, "relative_calibration"), 0.3);
            assertEquals(0.5, value(last, "reference_calibration"), 0.2);
        }
    }

    private static double value(WindowStats s, String test) {
        TestStatistic t = s.getStatistics().stream().filter(x -> x.getTest().equals(test)).findFirst().orElseThrow();
        return t.getValue();
    }

    private static void outcome(TestInputTopic<String, OutcomeEvent> outcomes, String requestId, OutcomeType type,
                                long time) {
        outcomes.pipeInput(requestId, OutcomeEvent.newBuilder().setRequestId(requestId).setType(type).setValue(null)
                .setEventTime(Instant.ofEpochMilli(time)).setAttributes(Map.of()).build(), time);
    }
}
