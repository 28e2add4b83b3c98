package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.ScoreSummary;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.JoinedRequest;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.internals.WindowPart;
import dev.driftwatch.streams.internals.WindowVerdicts;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A probabilistic classifier's performance per window and model version (when {@code performance.enabled}), from
 * its {@code output.score} (the predicted probability of a click):
 * <ul>
 *   <li><b>estimated</b> on every scored event, before any outcome is known: expected accuracy and ROC AUC if the
 *       scores are calibrated (confidence-based performance estimation);</li>
 *   <li><b>realized</b> on the requests with an impression, once their outcomes are final (with
 *       {@code business.enabled}): log loss, Brier score, ROC AUC (with its error bound), accuracy, and calibration
 *       (observed clicks ÷ the sum of predicted probabilities) with its test.</li>
 * </ul>
 * Each window gives a {@link WindowStats} of subject {@value #STATS_SUBJECT}; a significant miscalibration
 * ({@value #CALIBRATION}), a ROC AUC below {@code performance.auc.min} ({@value #AUC}) and a log loss above
 * {@code performance.log.loss.max} ({@value #LOG_LOSS}) fire and resolve under the policy's persistence rule,
 * as alerts of kind {@code PERFORMANCE} with the window's CTR context. With the model version's performance baseline
 * ({@link PerformanceBaseline}, subject {@value #STATS_SUBJECT}) the window is judged against it instead: its
 * calibration relative to the reference's, an AUC drop and a log-loss rise ({@link PerformanceVerdict}); CAPTURE_BASELINE
 * captures that baseline from retained windows.
 */
public final class PerformanceSignal implements Signal {
    /** The subject of the window-stats records. */
    public static final String STATS_SUBJECT = "*performance*";
    public static final String CALIBRATION = "performance.calibration";
    public static final String AUC = "performance.auc";
    public static final String LOG_LOSS = "performance.log_loss";

    private final PipelineSettings settings;
    private final PerformanceSettings performance;

    public PerformanceSignal(PipelineSettings settings) {
        this.settings = settings;
        this.performance = PerformanceSettings.of(settings.signals());
    }

    @Override
    public Map<String, WindowPart.Reader> parts() {
        return Map.of(PerformancePart.NAME, PerformancePart::read);
    }

    /** The business signal's hook: a request whose outcomes are final, in a window that took its inference. */
    public void finished(WindowBundle window, JoinedRequest request) {
        if (performance.enabled() && request.impressed() && !Double.isNaN(request.modelScore())) {
            PerformancePart.of(window, performance.bins()).scores().addLabelled(request.modelScore(), request.clicked());
        }
    }

    @Override
    public Observer observer(ObserverContext context) {
        if (!performance.enabled()) {
            return null;
        }
        return new Observer() {
            @Override
            public void add(WindowBundle window, InferenceEvent event) {
                Double score = event.getOutputs() == null ? null : event.getOutputs().getScore();
                if (score != null) {
                    PerformancePart.of(window, performance.bins()).scores().addScore(score);
                }
            }
        };
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        return performance.enabled() ? new Judging(context.alerts(), context.baselines()) : null;
    }

    /** The evaluating stage: the window's performance, and its alerts. */
    private final class Judging implements Evaluator {
        private final KeyValueStore<String, byte[]> alerts;
        private final BaselineLookup baselines;

        Judging(KeyValueStore<String, byte[]> alerts, BaselineLookup baselines) {
            this.alerts = alerts;
            this.baselines = baselines;
        }

        @Override
        public Map<String, Baseline> capture(String model, String version, List<WindowBundle> windows, String source,
                                             Long fromMillis, Long toMillis, String commandId) {
            return PerformanceBaseline.fromWindows(model, version, windows, source, fromMillis, toMillis, commandId)
                    .map(b -> Map.of("performanceBaseline", b)).orElse(Map.of());
        }

        @Override
        public void evaluate(WindowBundle b, WindowOutput out) {
            PerformancePart part = (PerformancePart) b.part(PerformancePart.NAME);
            if (part == null) {
                return;
            }
            ScoreSummary s = part.scores();
            PerformanceVerdict v = PerformanceVerdict.of(s, performance, baselines.find(b.modelId(), b.modelVersion(),
                    PerformanceBaseline.SUBJECT).flatMap(e -> PerformanceBaseline.from(e.avro())).orElse(null));
            boolean judged = v.judged();
            out.windowStats(WindowKeys.output(b, STATS_SUBJECT), stats(b, s, v, out.policy(CALIBRATION)));
            String name = WindowKeys.shown(b, STATS_SUBJECT);
            metric(b, name, "expected_roc_auc", s.expectedRocAuc());
            metric(b, name, "expected_accuracy", s.expectedAccuracy());
            metric(b, name, "roc_auc", s.rocAuc());
            metric(b, name, "log_loss", s.logLoss());
            metric(b, name, "calibration", s.calibration());
            if (!judged) {
                return;
            }
            step(b, out, CALIBRATION, v.calibrationLevel(), DriftTest.CALIBRATION, v.calibration() - 1,
                    v.calibrationP(), performance.calibrationWarning(), String.format(Locale.ROOT, "calibration %.3f"
                                    + " (%d clicks, %.1f predicted%s; |calibration - 1| threshold %.2f), p = %.3g",
                            v.calibration(), s.positives(), s.expectedPositives(), v.baseline() == null ? ""
                                    : String.format(Locale.ROOT, ", relative to the reference's %.3f",
                                    v.referenceCalibration()), performance.calibrationWarning(), v.calibrationP()), v, s);
            if (v.aucChecked()) {
                step(b, out, AUC, v.aucLevel(), DriftTest.ROC_AUC, s.rocAuc(), v.aucP(), v.aucThreshold(), String.format(
                        Locale.ROOT, "ROC AUC %.4f (± %.4f from the bins; %s %.4f)", s.rocAuc(), s.rocAucErrorBound(),
                        v.baseline() == null ? "minimum" : String.format(Locale.ROOT, "reference %.4f, p = %.3g,"
                                + " threshold", v.baseline().rocAuc(), v.aucP()), v.aucThreshold()), v, s);
            }
            if (v.logLossChecked()) {
                step(b, out, LOG_LOSS, v.logLossLevel(), DriftTest.LOG_LOSS, s.logLoss(), null, v.logLossThreshold(),
                        String.format(Locale.ROOT, "log loss %.4f (%smaximum %.4f)", s.logLoss(), v.baseline() == null
                                ? "" : String.format(Locale.ROOT, "reference %.4f, ", v.baseline().logLoss()),
                                v.logLossThreshold()), v, s);
            }
        }

        private void metric(WindowBundle b, String name, String test, double value) {
            if (!Double.isNaN(value)) {
                settings.metrics().statistic(b.modelId(), b.modelVersion(), name, test, value);
            }
        }

        private void step(WindowBundle b, WindowOutput out, String subject, Severity severity, DriftTest test,
                          double statistic, Double p, double threshold, String quoted, PerformanceVerdict v,
                          ScoreSummary s) {
            AlertPolicy policy = out.policy(subject);
            WindowVerdicts.Step step = WindowVerdicts.step(settings, alerts, b, subject, policy, severity);
            if (!step.changed()) {
                return;
            }
            String summary = String.format(Locale.ROOT, "%s %s %s/%s %s: %s; %d requests with an impression,"
                            + " estimated ROC AUC %.4f, realized %.4f, window %s..%s", step.state(), step.severity(),
                    b.modelId(), b.modelVersion(), WindowKeys.shown(b, subject), quoted, s.labelled(), s.expectedRocAuc(),
                    s.rocAuc(), Instant.ofEpochMilli(b.windowStart()), Instant.ofEpochMilli(b.windowEnd()));
            out.alert(subject, WindowVerdicts.alert(b, subject, step, policy, test, SubjectKind.PERFORMANCE)
                    .setStatistic(Double.isNaN(statistic) ? 0.0 : statistic)
                    .setPValue(p == null || Double.isNaN(p) ? null : p)
                    .setThreshold(threshold)
                    .setCurrentSampleSize(s.labelled())
                    // No baseline: a calibrated model's calibration is 1, and the other limits are configured.
                    .setReferenceSampleSize(v.baseline() == null ? 0 : v.baseline().labelled())
                    .setBaselineId(v.baseline() == null ? "config:" + subject : v.baseline().id())
                    .setBaselineSource(v.baseline() == null ? "config" : v.baseline().source())
                    .setSummary(summary)
                    .build());
        }

        private WindowStats stats(WindowBundle b, ScoreSummary s, PerformanceVerdict v, AlertPolicy policy) {
            boolean judged = v.judged();
            Severity calibration = v.calibrationLevel();
            Severity auc = v.aucLevel();
            Severity logLoss = v.logLossLevel();
            List<TestStatistic> stats = new ArrayList<>();
            stats.add(statistic("expected_accuracy", s.expectedAccuracy(), null, null, false, null));
            stats.add(statistic("expected_roc_auc", s.expectedRocAuc(), null, null, false, null));
            stats.add(statistic("roc_auc", s.rocAuc(), v.aucP(), v.aucChecked() ? v.aucThreshold() : null,
                    auc != Severity.NONE, s.rocAucErrorBound()));
            stats.add(statistic("log_loss", s.logLoss(), null, v.logLossChecked() ? v.logLossThreshold() : null,
                    logLoss != Severity.NONE, null));
            stats.add(statistic("brier", s.brier(), null, null, false, null));
            stats.add(statistic("accuracy", s.accuracy(), null, null, false, null));
            stats.add(statistic("calibration", s.calibration(), v.baseline() == null ? v.calibrationP() : null,
                    performance.calibrationWarning(), v.baseline() == null && calibration != Severity.NONE, null));
            if (v.baseline() != null) {
                PerformanceBaseline ref = v.baseline();
                // The reference's values, and the calibration relative to it (what the calibration alert judges).
                stats.add(statistic("relative_calibration", v.calibration(), v.calibrationP(),
                        performance.calibrationWarning(), calibration != Severity.NONE, null));
                stats.add(statistic("reference_calibration", ref.calibration(), null, null, false, null));
                stats.add(statistic("reference_roc_auc", ref.rocAuc(), null, null, false, ref.rocAucErrorBound()));
                stats.add(statistic("reference_log_loss", ref.logLoss(), null, null, false, null));
                stats.add(statistic("reference_brier", ref.brier(), null, null, false, null));
                stats.add(statistic("reference_base_rate", ref.baseRate(), null, null, false, null));
            }
            return WindowVerdicts.stats(b, STATS_SUBJECT, "performance")
                    .setBaselineId(v.baseline() == null ? null : v.baseline().id())
                    .setSampleSize(s.labelled())
                    .setMissingCount(s.invalid())
                    .setReferenceSampleSize(s.scored())
                    .setStatistics(stats)
                    .setDrifting(calibration != Severity.NONE || auc != Severity.NONE || logLoss != Severity.NONE)
                    .setPolicyVersion(judged ? policy.version() : null)
                    .setInsufficientData(!judged)
                    .build();
        }
    }

    private static TestStatistic statistic(String test, double value, Double p, Double threshold, boolean over,
                                           Double bound) {
        boolean defined = !Double.isNaN(value);
        return TestStatistic.newBuilder().setTest(test).setValue(defined ? value : null)
                .setPValue(p == null || Double.isNaN(p) ? null : p).setThreshold(threshold).setOverThreshold(over)
                .setErrorBound(bound == null || Double.isNaN(bound) ? null : bound)
                .setUndefinedReason(defined ? null : "no scores (or no labelled requests of both classes) in the window")
                .build();
    }
}
