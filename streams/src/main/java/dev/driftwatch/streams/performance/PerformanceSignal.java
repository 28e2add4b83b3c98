package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.performance.ScoreSummary;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.JoinedRequest;
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
 * as alerts of kind {@code PERFORMANCE} with the window's CTR context.
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
        return performance.enabled() ? new Judging(context.alerts()) : null;
    }

    /** The evaluating stage: the window's performance, and its alerts. */
    private final class Judging implements Evaluator {
        private final KeyValueStore<String, byte[]> alerts;

        Judging(KeyValueStore<String, byte[]> alerts) {
            this.alerts = alerts;
        }

        @Override
        public void evaluate(WindowBundle b, WindowOutput out) {
            PerformancePart part = (PerformancePart) b.part(PerformancePart.NAME);
            if (part == null) {
                return;
            }
            ScoreSummary s = part.scores();
            boolean judged = s.labelled() >= performance.minLabelled();
            double calibrationOff = Math.abs(s.calibration() - 1);
            Severity calibration = Severity.NONE;
            if (judged && s.calibrationPValue() <= performance.alpha() && calibrationOff >= performance.calibrationWarning()) {
                calibration = calibrationOff >= performance.calibrationCritical() ? Severity.CRITICAL : Severity.WARNING;
            }
            Severity auc = judged && performance.aucMin() > 0 && s.rocAuc() < performance.aucMin()
                    ? Severity.WARNING : Severity.NONE;
            Severity logLoss = judged && performance.logLossMax() > 0 && s.logLoss() > performance.logLossMax()
                    ? Severity.WARNING : Severity.NONE;
            out.windowStats(WindowKeys.output(b, STATS_SUBJECT), stats(b, s, judged, calibration, auc, logLoss,
                    out.policy(CALIBRATION)));
            String name = WindowKeys.shown(b, STATS_SUBJECT);
            metric(b, name, "expected_roc_auc", s.expectedRocAuc());
            metric(b, name, "expected_accuracy", s.expectedAccuracy());
            metric(b, name, "roc_auc", s.rocAuc());
            metric(b, name, "log_loss", s.logLoss());
            metric(b, name, "calibration", s.calibration());
            if (!judged) {
                return;
            }
            step(b, out, CALIBRATION, calibration, DriftTest.CALIBRATION, s.calibration() - 1, s.calibrationPValue(),
                    performance.calibrationWarning(), String.format(Locale.ROOT, "calibration %.3f (%d clicks, %.1f"
                                    + " predicted; |calibration - 1| threshold %.2f), p = %.3g",
                            s.calibration(), s.positives(), s.expectedPositives(), performance.calibrationWarning(),
                            s.calibrationPValue()), s);
            if (performance.aucMin() > 0) {
                step(b, out, AUC, auc, DriftTest.ROC_AUC, s.rocAuc(), null, performance.aucMin(), String.format(
                        Locale.ROOT, "ROC AUC %.4f (± %.4f from the bins; minimum %.4f)", s.rocAuc(),
                        s.rocAucErrorBound(), performance.aucMin()), s);
            }
            if (performance.logLossMax() > 0) {
                step(b, out, LOG_LOSS, logLoss, DriftTest.LOG_LOSS, s.logLoss(), null, performance.logLossMax(),
                        String.format(Locale.ROOT, "log loss %.4f (maximum %.4f)", s.logLoss(), performance.logLossMax()),
                        s);
            }
        }

        private void metric(WindowBundle b, String name, String test, double value) {
            if (!Double.isNaN(value)) {
                settings.metrics().statistic(b.modelId(), b.modelVersion(), name, test, value);
            }
        }

        private void step(WindowBundle b, WindowOutput out, String subject, Severity severity, DriftTest test,
                          double statistic, Double p, double threshold, String quoted, ScoreSummary s) {
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
                    .setReferenceSampleSize(0)
                    // No baseline: a calibrated model's calibration is 1, and the other limits are configured.
                    .setBaselineId("config:" + subject)
                    .setBaselineSource("config")
                    .setSummary(summary)
                    .build());
        }

        private WindowStats stats(WindowBundle b, ScoreSummary s, boolean judged, Severity calibration, Severity auc,
                                  Severity logLoss, AlertPolicy policy) {
            List<TestStatistic> stats = new ArrayList<>();
            stats.add(statistic("expected_accuracy", s.expectedAccuracy(), null, null, false, null));
            stats.add(statistic("expected_roc_auc", s.expectedRocAuc(), null, null, false, null));
            stats.add(statistic("roc_auc", s.rocAuc(), null, performance.aucMin() > 0 ? performance.aucMin() : null,
                    auc != Severity.NONE, s.rocAucErrorBound()));
            stats.add(statistic("log_loss", s.logLoss(), null,
                    performance.logLossMax() > 0 ? performance.logLossMax() : null, logLoss != Severity.NONE, null));
            stats.add(statistic("brier", s.brier(), null, null, false, null));
            stats.add(statistic("accuracy", s.accuracy(), null, null, false, null));
            stats.add(statistic("calibration", s.calibration(), s.calibrationPValue(), performance.calibrationWarning(),
                    calibration != Severity.NONE, null));
            return WindowStats.newBuilder()
                    .setModelId(b.modelId())
                    .setModelVersion(b.modelVersion())
                    .setSubject(WindowKeys.shown(b, STATS_SUBJECT))
                    .setSubjectKind("performance")
                    .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                    .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                    .setBaselineId(null)
                    .setSampleSize(s.labelled())
                    .setMissingCount(s.invalid())
                    .setReferenceSampleSize(s.scored())
                    .setStatistics(stats)
                    .setDrifting(calibration != Severity.NONE || auc != Severity.NONE || logLoss != Severity.NONE)
                    .setPolicyVersion(judged ? policy.version() : null)
                    .setLateEventsDropped(b.lateEvents())
                    .setEvidence(null)
                    .setSequentialEvidence(null)
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
