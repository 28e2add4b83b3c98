package dev.driftwatch.streams.performance;

import dev.driftwatch.detectors.TwoProportionTest;
import dev.driftwatch.detectors.performance.ConfusionCounts;
import dev.driftwatch.detectors.performance.RegressionErrors;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.JoinedRequest;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.internals.WindowPart;
import dev.driftwatch.streams.internals.WindowVerdicts;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model's realized performance against its labelled ground truth (when {@code performance.labels.enabled}, with
 * {@code business.enabled} for the join): per window and model version, from the requests whose outcomes are final
 * and that have a {@code LABEL} outcome ({@link LabelPart}):
 * <ul>
 *   <li><b>classification</b>: the inference's {@code outputs.label} against the outcome's {@code label}: accuracy
 *       and macro-F1 from bounded confusion counts;</li>
 *   <li><b>regression</b>: the inference's {@code outputs.score} against the outcome's {@code value}: MAE, RMSE and
 *       bias (mean of prediction − truth).</li>
 * </ul>
 * Each window with labels gives a {@link WindowStats} of subject {@value #STATS_SUBJECT}. Against a baseline, a
 * window with at least {@code performance.labels.min.labelled} labelled predictions is degraded when its accuracy
 * ({@value #ACCURACY}) or macro-F1 ({@value #F1}) dropped by the configured relative drop (the accuracy also
 * significantly, one-sided), or its MAE ({@value #MAE}) or RMSE ({@value #RMSE}) rose by the configured relative
 * rise; degraded windows fire and resolve under the policy's persistence rule as alerts of kind
 * {@code PERFORMANCE}. The accuracy's baseline is captured from windows (CAPTURE_BASELINE, subject
 * {@value #ACCURACY}: correct and incorrect counts, two-proportion test) or configured (one-sample test); the
 * others are configured.
 */
public final class LabelSignal implements Signal {
    /** The subject of the window-stats records. */
    public static final String STATS_SUBJECT = "*performance.labels*";
    public static final String ACCURACY = "performance.accuracy";
    public static final String F1 = "performance.f1";
    public static final String MAE = "performance.mae";
    public static final String RMSE = "performance.rmse";
    /** The categories of a captured accuracy baseline. */
    static final String CORRECT = "correct";
    static final String INCORRECT = "incorrect";
    /** The name a captured accuracy baseline is listed under in the command's result. */
    static final String CAPTURE_NAME = "accuracyBaseline";

    private final PipelineSettings settings;
    private final LabelSettings labels;

    public LabelSignal(PipelineSettings settings) {
        this.settings = settings;
        this.labels = LabelSettings.of(settings.signals());
    }

    @Override
    public Map<String, WindowPart.Reader> parts() {
        return Map.of(LabelPart.NAME, LabelPart::read);
    }

    /** The business signal's hook: a request whose outcomes are final, in a window that took its inference. */
    public void finished(WindowBundle window, JoinedRequest request) {
        if (labels.enabled() && request.labelled()) {
            LabelPart.of(window, labels.maxClasses()).add(request);
        }
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        return labels.enabled() ? new Judging(context.alerts(), context.baselines()) : null;
    }

    /** A baseline of one metric: its value, where it came from, and its counts when captured (else 0). */
    private record Reference(double value, String id, String source, long correct, long trials) {
    }

    /** One check of a window: a metric against its baseline. */
    private record Check(String subject, DriftTest test, double value, Reference baseline, double change,
                         Double pValue, double threshold, Severity severity, long n, String describe) {
    }

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
            long correct = 0;
            long trials = 0;
            for (WindowBundle w : windows) {
                LabelPart part = (LabelPart) w.part(LabelPart.NAME);
                if (part != null) {
                    correct += part.classes().correct();
                    trials += part.classes().total();
                }
            }
            if (trials == 0) {
                return Map.of();
            }
            CategoricalSummary s = new CategoricalSummary();
            s.addCount(CORRECT, correct);
            s.addCount(INCORRECT, trials - correct);
            Map<String, Baseline> out = new LinkedHashMap<>();
            out.put(CAPTURE_NAME, BaselineCodec.toAvro(model, version, ACCURACY,
                    CategoricalBaseline.fromSummary(s, source, fromMillis, toMillis), commandId));
            return out;
        }

        @Override
        public void evaluate(WindowBundle b, WindowOutput out) {
            LabelPart part = (LabelPart) b.part(LabelPart.NAME);
            if (part == null) {
                return;
            }
            ConfusionCounts c = part.classes();
            RegressionErrors e = part.errors();
            boolean classified = c.total() >= labels.minLabelled();
            boolean regressed = e.count() >= labels.minLabelled();
            List<Check> checks = new ArrayList<>();
            Reference accuracy = accuracyBaseline(b);
            if (accuracy != null && c.total() > 0) {
                double drop = 1 - c.accuracy() / accuracy.value();
                double p = accuracy.trials() > 0
                        ? TwoProportionTest.lowerTail(c.correct(), c.total(), accuracy.correct(), accuracy.trials()).pValue()
                        : c.accuracyBelowPValue(accuracy.value());
                Severity s = classified && p <= labels.alpha() ? drop(drop) : Severity.NONE;
                checks.add(new Check(ACCURACY, DriftTest.ACCURACY, c.accuracy(), accuracy, drop, p,
                        labels.dropWarning(), s, c.total(), String.format(Locale.ROOT, "accuracy %.4f (baseline %.4f,"
                                + " relative drop %.3f, threshold %.2f), p = %.3g; %d labelled predictions",
                                c.accuracy(), accuracy.value(), drop, labels.dropWarning(), p, c.total())));
            }
            if (labels.f1Baseline() > 0 && c.total() > 0) {
                Reference f1 = configured(F1, labels.f1Baseline());
                double drop = 1 - c.macroF1() / f1.value();
                checks.add(new Check(F1, DriftTest.F1, c.macroF1(), f1, drop, null, labels.dropWarning(),
                        classified ? drop(drop) : Severity.NONE, c.total(), String.format(Locale.ROOT, "macro-F1 %.4f"
                                + " (baseline %.4f, relative drop %.3f, threshold %.2f); %d labelled predictions",
                                c.macroF1(), f1.value(), drop, labels.dropWarning(), c.total())));
            }
            if (labels.maeBaseline() > 0 && e.count() > 0) {
                checks.add(rise(MAE, DriftTest.MAE, "MAE", e.mae(), configured(MAE, labels.maeBaseline()), regressed,
                        e));
            }
            if (labels.rmseBaseline() > 0 && e.count() > 0) {
                checks.add(rise(RMSE, DriftTest.RMSE, "RMSE", e.rmse(), configured(RMSE, labels.rmseBaseline()),
                        regressed, e));
            }
            out.windowStats(WindowKeys.output(b, STATS_SUBJECT), stats(b, part, checks, classified || regressed,
                    out.policy(ACCURACY)));
            String name = WindowKeys.shown(b, STATS_SUBJECT);
            metric(b, name, "accuracy", c.accuracy());
            metric(b, name, "macro_f1", c.macroF1());
            metric(b, name, "mae", e.mae());
            metric(b, name, "rmse", e.rmse());
            metric(b, name, "bias", e.bias());
            for (Check check : checks) {
                boolean judged = check.test() == DriftTest.ACCURACY || check.test() == DriftTest.F1 ? classified
                        : regressed;
                if (judged) {
                    step(b, out, check);
                }
            }
        }

        private Check rise(String subject, DriftTest test, String label, double value, Reference baseline,
                           boolean judged, RegressionErrors e) {
            double rise = value / baseline.value() - 1;
            Severity s = !judged || !(rise >= labels.riseWarning()) ? Severity.NONE
                    : rise >= labels.riseCritical() ? Severity.CRITICAL : Severity.WARNING;
            return new Check(subject, test, value, baseline, rise, null, labels.riseWarning(), s, e.count(),
                    String.format(Locale.ROOT, "%s %.4g (baseline %.4g, relative rise %.3f, threshold %.2f), bias"
                                    + " %.4g; %d labelled predictions", label, value, baseline.value(), rise,
                            labels.riseWarning(), e.bias(), e.count()));
        }

        private Severity drop(double drop) {
            return !(drop >= labels.dropWarning()) ? Severity.NONE
                    : drop >= labels.dropCritical() ? Severity.CRITICAL : Severity.WARNING;
        }

        /** The captured accuracy baseline of the window's model version, else the configured one, else null. */
        private Reference accuracyBaseline(WindowBundle b) {
            Reference captured = baselines.find(b.modelId(), b.modelVersion(), ACCURACY)
                    .map(BaselineLookup.Entry::avro).map(LabelSignal::capturedAccuracy).orElse(null);
            if (captured != null) {
                return captured;
            }
            return labels.accuracyBaseline() > 0 ? configured(ACCURACY, labels.accuracyBaseline()) : null;
        }

        private void metric(WindowBundle b, String name, String test, double value) {
            if (!Double.isNaN(value)) {
                settings.metrics().statistic(b.modelId(), b.modelVersion(), name, test, value);
            }
        }

        private void step(WindowBundle b, WindowOutput out, Check check) {
            AlertPolicy policy = out.policy(check.subject());
            WindowVerdicts.Step step = WindowVerdicts.step(settings, alerts, b, check.subject(), policy,
                    check.severity());
            if (!step.changed()) {
                return;
            }
            String summary = String.format(Locale.ROOT, "%s %s %s/%s %s: %s, window %s..%s", step.state(),
                    step.severity(), b.modelId(), b.modelVersion(), WindowKeys.shown(b, check.subject()),
                    check.describe(), Instant.ofEpochMilli(b.windowStart()), Instant.ofEpochMilli(b.windowEnd()));
            out.alert(check.subject(), WindowVerdicts.alert(b, check.subject(), step, policy, check.test(),
                            SubjectKind.PERFORMANCE)
                    .setStatistic(Double.isNaN(check.change()) ? 0.0 : check.change())
                    .setPValue(check.pValue() == null || Double.isNaN(check.pValue()) ? null : check.pValue())
                    .setThreshold(check.threshold())
                    .setCurrentSampleSize(check.n())
                    .setReferenceSampleSize(check.baseline().trials())
                    .setBaselineId(check.baseline().id())
                    .setBaselineSource(check.baseline().source())
                    .setSummary(summary)
                    .build());
        }

        private WindowStats stats(WindowBundle b, LabelPart part, List<Check> checks, boolean judged,
                                  AlertPolicy policy) {
            ConfusionCounts c = part.classes();
            RegressionErrors e = part.errors();
            List<TestStatistic> stats = new ArrayList<>();
            stats.add(statistic("accuracy", c.accuracy(), find(checks, ACCURACY)));
            stats.add(statistic("macro_f1", c.macroF1(), find(checks, F1)));
            stats.add(statistic("mae", e.mae(), find(checks, MAE)));
            stats.add(statistic("rmse", e.rmse(), find(checks, RMSE)));
            stats.add(statistic("bias", e.bias(), null));
            boolean drifting = checks.stream().anyMatch(x -> x.severity() != Severity.NONE);
            return WindowVerdicts.stats(b, STATS_SUBJECT, "performance")
                    .setBaselineId(checks.isEmpty() ? null : checks.get(0).baseline().id())
                    .setSampleSize(c.total() + e.count())
                    .setMissingCount(part.unpredictedClasses() + part.unpredictedValues())
                    .setReferenceSampleSize(checks.isEmpty() ? 0 : checks.get(0).baseline().trials())
                    .setStatistics(stats)
                    .setDrifting(drifting)
                    .setPolicyVersion(judged ? policy.version() : null)
                    .setInsufficientData(!judged)
                    .build();
        }
    }

    private static Check find(List<Check> checks, String subject) {
        return checks.stream().filter(c -> c.subject().equals(subject)).findFirst().orElse(null);
    }

    private static Reference configured(String subject, double value) {
        return new Reference(value, "config:" + subject, "config", 0, 0);
    }

    /** A captured accuracy baseline (categories correct and incorrect), or null when the record is not one. */
    private static Reference capturedAccuracy(Baseline b) {
        if (b.getKind() != FeatureKind.CATEGORICAL || b.getCategoryCounts().size() > 2) {
            return null;
        }
        Long yes = b.getCategoryCounts().get(CORRECT);
        Long no = b.getCategoryCounts().get(INCORRECT);
        long correct = yes == null ? 0 : yes;
        long trials = correct + (no == null ? 0 : no);
        if (trials < 1 || correct < 1) {
            return null;
        }
        return new Reference((double) correct / trials, b.getBaselineId(), b.getProvenance().getSource(), correct,
                trials);
    }

    /** The window's value of a metric with its check (threshold: the value from which it is degraded), if any. */
    private static TestStatistic statistic(String test, double value, Check check) {
        boolean defined = !Double.isNaN(value);
        Double threshold = null;
        if (check != null) {
            boolean errors = check.test() == DriftTest.MAE || check.test() == DriftTest.RMSE;
            threshold = check.baseline().value() * (errors ? 1 + check.threshold() : 1 - check.threshold());
        }
        return TestStatistic.newBuilder().setTest(test).setValue(defined ? value : null)
                .setPValue(check == null || check.pValue() == null ? null : check.pValue()).setThreshold(threshold)
                .setOverThreshold(check != null && check.severity() != Severity.NONE).setErrorBound(null)
                .setUndefinedReason(defined ? null : "no labelled predictions of this kind in the window")
                .build();
    }
}
