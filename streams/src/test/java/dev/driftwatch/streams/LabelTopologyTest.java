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
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.performance.LabelSettings;
import dev.driftwatch.streams.performance.LabelSignal;
import dev.driftwatch.streams.quality.QualitySettings;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Realized performance against LABEL outcomes on the whole topology (TopologyTestDriver): a classifier (model clf,
 * outputs.label against the outcome's label) and a regression model (model reg, outputs.score against the outcome's
 * value), three one-minute windows each from {@code labels/label-topology.txt} (written with numpy's values by
 * {@code generate_label_topology.py}); in window 2 both degrade. Hand-counted on top, in window 0: a label
 * without inference (unmatched), a second label of a request (a duplicate: the first one counts), a label read
 * after its request was final (late), and a label whose inference has no outputs.label (counted as missing). None
 * of these changes the metrics, which must equal numpy's over the fixture's 60 predictions per window and model.
 */
class LabelTopologyTest {
    private static final long SECOND = 1_000;
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path stateDir;

    private record Window(List<String[]> clf, List<double[]> reg, double[] clfExpect, double[] regExpect) {
    }

    @Test
    void shouldMeasureAccuracyF1MaeAndRmseFromLabelsAndAlertOnTheDegradedWindow() throws IOException {
        List<Window> windows = fixture();
        assertEquals(3, windows.size());
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withSignals(Signals.none().with(BusinessSettings.enabled(Duration.ofSeconds(10)))
                        .with(LabelSettings.enabledWithDefaults().withMinLabelled(30)
                                .withBaselines(0.85, 0.85, 1.0, 1.25)));
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            TestInputTopic<String, OutcomeEvent> outcomes = f.driver.createInputTopic(f.topics.outcomes().name(),
                    Serdes.String().serializer(), f.topics.outcomes().valueSerde().serializer());
            String lateRequest = null;
            long lateTime = 0;
            for (int w = 0; w < windows.size(); w++) {
                Window win = windows.get(w);
                for (int i = 0; i < win.clf().size(); i++) {
                    long time = T0 + w * MINUTE + i * 900;
                    String[] c = win.clf().get(i);
                    InferenceEvent e = classified(f, outcomes, time, c);
                    if (w == 0 && i == 0) {
                        // a second label of the same request, which would change the accuracy: a duplicate
                        label(outcomes, e.getRequestId(), time + 2 * SECOND, c[0].equals(c[1]) ? other(c[1]) : c[0],
                                null);
                    }
                    if (w == 0 && i == 22) {
                        // a label whose request has no inference, ever
                        label(outcomes, "no-such-request", time + 100, "cat", 5.0);
                    }
                    if (w == 0 && i == 33) {
                        // an inference without a predicted class, labelled
                        InferenceEvent unpredicted = predicted(f, "clf", time + 100, null, null);
                        f.send(unpredicted);
                        label(outcomes, unpredicted.getRequestId(), time + 100 + SECOND, "cat", null);
                    }
                    if (w == 0 && i == 44) {
                        // an inference whose label comes after the request is final (in the next window)
                        InferenceEvent late = predicted(f, "clf", time + 100, null, "dog");
                        f.send(late);
                        lateRequest = late.getRequestId();
                        lateTime = time + 100 + SECOND;
                    }
                    double[] r = win.reg().get(i);
                    InferenceEvent g = predicted(f, "reg", time + 450, r[0], null);
                    f.send(g);
                    label(outcomes, g.getRequestId(), time + 450 + SECOND, null, r[1]);
                    if (w == 0 && i == 0) {
                        label(outcomes, g.getRequestId(), time + 450 + 2 * SECOND, null, r[1] + 100);
                    }
                }
                if (w == 1) {
                    label(outcomes, lateRequest, lateTime, "cat", null);
                }
            }
            f.send(predicted(f, "clf", T0 + 8 * MINUTE, null, "cat"));

            List<WindowStats> stats = f.readStats().stream()
                    .filter(s -> s.getSubject().equals(LabelSignal.STATS_SUBJECT)).toList();
            List<WindowStats> clf = stats.stream().filter(s -> s.getModelId().equals("clf")).toList();
            List<WindowStats> reg = stats.stream().filter(s -> s.getModelId().equals("reg")).toList();
            assertEquals(3, clf.size(), stats.toString());
            assertEquals(3, reg.size(), stats.toString());
            for (int w = 0; w < 3; w++) {
                Window win = windows.get(w);
                WindowStats c = clf.get(w);
                assertEquals(Instant.ofEpochMilli(T0 + w * MINUTE), c.getWindowStart());
                assertEquals(60, c.getSampleSize(), "window " + w + ": the duplicate, late and unmatched labels"
                        + " are not counted");
                assertEquals(w == 0 ? 1 : 0, c.getMissingCount(), "window " + w + ": the label without prediction");
                assertEquals(win.clfExpect()[0], value(c, "accuracy"), 1e-9, "accuracy, window " + w);
                assertEquals(win.clfExpect()[1], value(c, "macro_f1"), 1e-9, "macro-F1, window " + w);
                assertNull(stat(c, "mae").getValue(), "no regression in model clf");
                assertEquals(w == 2, c.getDrifting(), "window " + w);
                WindowStats r = reg.get(w);
                assertEquals(60, r.getSampleSize(), "window " + w);
                assertEquals(0, r.getMissingCount());
                assertEquals(win.regExpect()[0], value(r, "mae"), 1e-9, "MAE, window " + w);
                assertEquals(win.regExpect()[1], value(r, "rmse"), 1e-9, "RMSE, window " + w);
                assertEquals(win.regExpect()[2], value(r, "bias"), 1e-9, "bias, window " + w);
                assertNull(stat(r, "accuracy").getValue(), "no classification in model reg");
                assertEquals(w == 2, r.getDrifting(), "window " + w);
            }
            assertEquals(1.25 * 1.2, stat(reg.get(0), "rmse").getThreshold(), 1e-12);

            List<DriftAlert> alerts = f.readAlerts().stream()
                    .filter(a -> a.getSubjectKind() == SubjectKind.PERFORMANCE).toList();
            List<String> fired = alerts.stream().map(a -> a.getModelId() + " " + a.getSubject() + " " + a.getTest()
                    + " " + a.getState() + " " + a.getSeverity() + " " + a.getWindowStart()).toList();
            String w2 = Instant.ofEpochMilli(T0 + 2 * MINUTE).toString();
            assertEquals(List.of(
                    "clf performance.accuracy ACCURACY FIRING WARNING " + w2,
                    "clf performance.f1 F1 FIRING WARNING " + w2,
                    "reg performance.mae MAE FIRING CRITICAL " + w2,
                    "reg performance.rmse RMSE FIRING CRITICAL " + w2), fired.stream().sorted().toList());
            DriftAlert accuracy = alerts.stream().filter(a -> a.getTest() == DriftTest.ACCURACY).findFirst().orElseThrow();
            assertEquals(1 - windows.get(2).clfExpect()[0] / 0.85, accuracy.getStatistic(), 1e-9);
            assertEquals(60, accuracy.getCurrentSampleSize());
            assertEquals("config", accuracy.getBaselineSource());
            assertEquals(AlertState.FIRING, accuracy.getState());
            assertEquals(Severity.WARNING, accuracy.getSeverity());
            DriftAlert mae = alerts.stream().filter(a -> a.getTest() == DriftTest.MAE).findFirst().orElseThrow();
            assertEquals(windows.get(2).regExpect()[0] / 1.0 - 1, mae.getStatistic(), 1e-9);
        }
    }

    @Test
    void shouldCaptureTheAccuracyBaselineFromWindowsAndTestAgainstItsCounts() throws IOException {
        List<Window> windows = fixture();
        // data quality on, as by default: the captured performance.accuracy baseline is no event's subject, so it
        // must not read as a subject absent from every window
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withSignals(Signals.none().with(BusinessSettings.enabled(Duration.ofSeconds(10)))
                        .with(LabelSettings.enabledWithDefaults().withMinLabelled(30))
                        .with(QualitySettings.defaults().withMinEvents(10)));
        try (PipelineFixture f = new PipelineFixture(settings, stateDir)) {
            TestInputTopic<String, OutcomeEvent> outcomes = f.driver.createInputTopic(f.topics.outcomes().name(),
                    Serdes.String().serializer(), f.topics.outcomes().valueSerde().serializer());
            // windows 0 and 1 as in the fixture; the degraded fixture window 2 goes to window 3
            long correct = 0;
            for (int w : new int[]{0, 1, 3}) {
                Window win = windows.get(Math.min(w, 2));
                for (int i = 0; i < win.clf().size(); i++) {
                    String[] c = win.clf().get(i);
                    classified(f, outcomes, T0 + w * MINUTE + i * 900, c);
                    if (w < 3 && c[0].equals(c[1])) {
                        correct++;
                    }
                }
                if (w == 1) {
                    f.send(predicted(f, "clf", T0 + 2 * MINUTE + 30 * SECOND, null, null));
                    ControlCommand capture = ControlCommand.newBuilder().setCommandId("cmd-accuracy")
                            .setType(CommandType.CAPTURE_BASELINE).setIssuedAt(Instant.ofEpochMilli(T0))
                            .setIssuedBy("test").setModelId("clf").setModelVersion("1").setSubject(null)
                            .setFrom(Instant.ofEpochMilli(T0)).setTo(Instant.ofEpochMilli(T0 + 2 * MINUTE))
                            .setPolicyVersion(null).setParameters(Map.of()).setReason("test").build();
                    f.control.pipeInput(capture.getCommandId(), capture, Instant.ofEpochMilli(T0 + 2 * MINUTE));
                    ControlResult result = f.controlResults.readValue();
                    assertEquals(CommandStatus.ACCEPTED, result.getStatus(), String.valueOf(result.getReason()));
                    assertTrue(result.getDetails().containsKey("accuracyBaseline"), result.getDetails().toString());
                    Baseline captured = f.baselinesOut.readValuesToList().stream()
                            .filter(b -> b.getFeature().equals(LabelSignal.ACCURACY)).findFirst().orElseThrow();
                    assertEquals(Map.of("correct", correct, "incorrect", 120 - correct), captured.getCategoryCounts());
                    // the captured record comes back as the model version's baseline
                    f.baselines.pipeInput(BaselineCodec.key("clf", "1", LabelSignal.ACCURACY), captured,
                            Instant.ofEpochMilli(T0 + 2 * MINUTE));
                }
            }
            f.send(predicted(f, "clf", T0 + 8 * MINUTE, null, "cat"));
            List<DriftAlert> all = f.readAlerts();
            assertEquals(List.of(), all.stream().filter(a -> a.getSubject().startsWith("performance."))
                    .filter(a -> a.getSubjectKind() != SubjectKind.PERFORMANCE).toList());
            List<DriftAlert> alerts = all.stream()
                    .filter(a -> a.getSubjectKind() == SubjectKind.PERFORMANCE).toList();
            assertEquals(1, alerts.size(), alerts.toString());
            DriftAlert a = alerts.get(0);
            assertEquals(LabelSignal.ACCURACY, a.getSubject());
            assertEquals(Instant.ofEpochMilli(T0 + 3 * MINUTE), a.getWindowStart());
            assertEquals(120, a.getReferenceSampleSize());
            assertEquals(1 - windows.get(2).clfExpect()[0] / (correct / 120.0), a.getStatistic(), 1e-9);
            assertTrue(a.getPValue() < 0.01, a.getSummary());
            assertTrue(a.getBaselineSource().startsWith("windows"), a.getBaselineSource());
        }
    }

    /** A classifier's inference predicting c[0] at {@code time}, and its label c[1] a second later. */
    private static InferenceEvent classified(PipelineFixture f, TestInputTopic<String, OutcomeEvent> outcomes,
                                             long time, String[] c) {
        InferenceEvent e = predicted(f, "clf", time, null, c[0]);
        f.send(e);
        label(outcomes, e.getRequestId(), time + SECOND, c[1], null);
        return e;
    }

    private static String other(String c) {
        return c.equals("cat") ? "dog" : "cat";
    }

    private static InferenceEvent predicted(PipelineFixture f, String model, long time, Double score, String label) {
        InferenceEvent e = f.event(model, "1", time, Map.of(), Map.of(), score);
        return InferenceEvent.newBuilder(e)
                .setOutputs(ModelOutputs.newBuilder().setScore(score).setLabel(label).setConfidence(null).build())
                .build();
    }

    private static void label(TestInputTopic<String, OutcomeEvent> outcomes, String requestId, long time, String label,
                              Double value) {
        outcomes.pipeInput(requestId, OutcomeEvent.newBuilder().setRequestId(requestId).setType(OutcomeType.LABEL)
                .setValue(value).setLabel(label).setEventTime(Instant.ofEpochMilli(time)).setAttributes(Map.of())
                .build(), time);
    }

    private static TestStatistic stat(WindowStats s, String test) {
        return s.getStatistics().stream().filter(x -> x.getTest().equals(test)).findFirst().orElseThrow();
    }

    private static double value(WindowStats s, String test) {
        return stat(s, test).getValue();
    }

    private static List<Window> fixture() throws IOException {
        List<Window> windows = new ArrayList<>();
        try (InputStream in = LabelTopologyTest.class.getResourceAsStream("/labels/label-topology.txt")) {
            List<String[]> clf = null;
            List<double[]> reg = null;
            double[] clfExpect = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList()) {
                String[] t = line.split(" ");
                switch (t[0]) {
                    case "window" -> {
                        clf = new ArrayList<>();
                        reg = new ArrayList<>();
                    }
                    case "clf" -> clf.add(new String[]{t[1], t[2]});
                    case "reg" -> reg.add(new double[]{Double.parseDouble(t[1]), Double.parseDouble(t[2])});
                    case "expect" -> {
                        double[] e = new double[t.length - 2];
                        for (int i = 2; i < t.length; i++) {
                            e[i - 2] = Double.parseDouble(t[i]);
                        }
                        if (t[1].equals("clf")) {
                            clfExpect = e;
                        } else {
                            windows.add(new Window(clf, reg, clfExpect, e));
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        return windows;
    }
}
