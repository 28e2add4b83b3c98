package dev.driftwatch.streams.drift;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.StreamingInput;
import dev.driftwatch.detectors.TestResult;
import dev.driftwatch.detectors.WindowEvidence;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.DatasetJudgement;
import dev.driftwatch.detectors.policy.DatasetVerdict;
import dev.driftwatch.detectors.policy.Evaluation;
import dev.driftwatch.detectors.policy.FeatureStatistics;
import dev.driftwatch.detectors.policy.FeatureVerdict;
import dev.driftwatch.detectors.policy.Judgement;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Threshold;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.detectors.summary.SummaryComparisons;
import dev.driftwatch.detectors.summary.SummaryEvidence;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.AlertFields;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.MetricsReports;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.SubjectAlertState;
import dev.driftwatch.streams.internals.SubjectSummary;
import dev.driftwatch.streams.internals.Subjects;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.internals.WindowVerdicts;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Feature and output drift: each subject's window summary (kept by {@link DriftObserver} in the summarizing
 * stage, on the baseline's frozen bins) is compared with its baseline, the policy judges every subject and the dataset (the share of
 * drifted features), and the window gives a {@link WindowStats} per subject and a {@link DriftAlert} on every
 * state change (FIRING once, RESOLVED once).
 */
public final class DriftSignal implements Signal {
    /** How many open windows of a task may hold numeric values back (see {@link SubjectSlots}). */
    private final int maxHoldingWindows;

    public DriftSignal() {
        this(DriftObserver.MAX_HOLDING_WINDOWS);
    }

    /** With at most {@code maxHoldingWindows} windows holding values back (0: every value added at once; tests). */
    DriftSignal(int maxHoldingWindows) {
        this.maxHoldingWindows = maxHoldingWindows;
    }

    @Override
    public Observer observer(ObserverContext context) {
        return new DriftObserver(context.features(), context.baselines(), context.windows(), maxHoldingWindows);
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        return new DriftEvaluator(context.settings(), context.baselines(), context.alerts());
    }

    /** The drift evaluation of one task's windows. */
    private static final class DriftEvaluator implements Evaluator {
        private final PipelineSettings settings;
        private final BaselineLookup baselines;
        private final KeyValueStore<String, byte[]> alerts;
        /** Where the window being evaluated goes. */
        private WindowOutput out;

        DriftEvaluator(PipelineSettings settings, BaselineLookup baselines, KeyValueStore<String, byte[]> alerts) {
            this.settings = settings;
            this.baselines = baselines;
            this.alerts = alerts;
        }


        /** What the evaluation of a window found for one subject, in the bundle's order of subjects. */
        private static final class Subject {
            final String name;
            final SubjectSummary summary;
            /** Null when the subject was not compared. */
            ColumnComparison comparison;
            BaselineLookup.Entry baseline;
            /** Why it was not compared, or null. */
            String notEvaluated;
            WindowEvidence evidence;
            /** The numeric subject's input to the streaming tests, for its comparison and its error bounds alike. */
            StreamingInput input;
            FeatureStatistics statistics;

            Subject(String name, SubjectSummary summary) {
                this.name = name;
                this.summary = summary;
            }
        }

        @Override
        public void evaluate(WindowBundle bundle, WindowOutput windowOutput) {
            out = windowOutput;
            AlertPolicy policy = out.policy(null);
            // One holder a subject, read back in the same order (rather than a map a finding, each rebuilt every
            // window).
            List<String> names = bundle.subjectNames();
            List<Subject> subjects = new ArrayList<>(names.size());
            List<FeatureStatistics> statistics = new ArrayList<>();
            for (String name : names) {
                Subject s = new Subject(name, bundle.subject(name));
                subjects.add(s);
                String subject = s.name;
                SubjectSummary summary = s.summary;
                Optional<BaselineLookup.Entry> baseline = baselines.find(bundle.modelId(), bundle.modelVersion(), subject);
                ColumnComparison comparison = null;
                settings.metrics().baselineMissing(BaselineCodec.key(bundle.modelId(), bundle.modelVersion(), subject),
                        baseline.isEmpty() ? "no baseline: its windows are summarised, not tested" : null);
                if (baseline.isEmpty()) {
                    s.notEvaluated = "no baseline for " + subject + " of " + bundle.modelId() + "/"
                            + bundle.modelVersion();
                } else if (summary.kind() == SubjectSummary.Kind.NUMERIC && baseline.get().numeric() != null) {
                    if (baseline.get().id().equals(summary.baselineId())) {
                        StreamingInput input = SummaryComparisons.numericInput(baseline.get().numeric(),
                                summary.numericSummary());
                        s.input = input;
                        comparison = SummaryComparisons.numeric(baseline.get().numeric(), summary.numericSummary(),
                                input);
                        s.evidence = SummaryEvidence.numeric(baseline.get().numeric(), summary.numericSummary(),
                                comparison, input);
                    } else {
                        s.notEvaluated = "baseline changed during the window (window on "
                                + summary.baselineId() + ", current " + baseline.get().id() + ")";
                    }
                } else if (summary.kind() == SubjectSummary.Kind.CATEGORICAL && baseline.get().categorical() != null) {
                    comparison = SummaryComparisons.categorical(baseline.get().categorical(), summary.categoricalSummary());
                    s.evidence = SummaryEvidence.categorical(baseline.get().categorical(), summary.categoricalSummary());
                } else {
                    s.notEvaluated = summary.kind() == SubjectSummary.Kind.NUMERIC_WITHOUT_BASELINE
                            ? "the baseline arrived during the window; the next window is evaluated"
                            : "the baseline's kind does not match the values (" + summary.kind() + ")";
                }
                if (comparison != null) {
                    s.comparison = comparison;
                    s.baseline = baseline.get();
                    s.statistics = FeatureStatistics.of(subject, new ArrayList<>(comparison.tests().values()));
                    statistics.add(s.statistics);
                }
            }
            Evaluation evaluation = policy.evaluateAll(statistics);
            Map<String, FeatureVerdict> verdicts = new HashMap<>();
            for (FeatureVerdict v : subjectVerdicts(bundle, policy, evaluation, statistics)) {
                verdicts.put(v.feature(), v);
            }
            List<Judgement> judgedFeatures = new ArrayList<>();
            for (Subject s : subjects) {
                String subject = s.name;
                ColumnComparison c = s.comparison;
                FeatureVerdict v = verdicts.get(subject);
                String key = WindowKeys.alertState(bundle, subject);
                SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
                AlertPolicy own = out.policy(subject);
                Judgement judgement = c == null ? null : own.judge(state.persistence(),
                        state.evidence(), s.statistics, s.evidence);
                emitStats(bundle, subject, own, s.summary, c, v, judgement, s.baseline, s.notEvaluated, s.input);
                if (c != null) {
                    step(bundle, subject, own, c, v, judgement, key, state, s.baseline);
                    if (!judgement.insufficient() && !Subjects.isOutput(subject) && !Subjects.isOutcome(subject)) {
                        judgedFeatures.add(judgement);
                    }
                }
            }
            if (!judgedFeatures.isEmpty()) {
                stepDataset(bundle, judgedFeatures);
            }
        }

        private void emitStats(WindowBundle b, String subject, AlertPolicy policy, SubjectSummary summary,
                               ColumnComparison c, FeatureVerdict verdict, Judgement judgement,
                               BaselineLookup.Entry baseline, String reason, StreamingInput bounds) {
            List<TestStatistic> stats = new ArrayList<>();
            if (c != null) {
                for (TestResult r : c.tests().values()) {
                    Threshold t = policy.thresholds().get(r.test());
                    boolean over;
                    Double threshold;
                    if (r.test().isSignificanceGate()) {
                        threshold = policy.alpha();
                        over = verdict.adjustedPValue().isPresent() && verdict.adjustedPValue().getAsDouble() <= policy.alpha();
                    } else {
                        threshold = t == null ? null : t.warning();
                        over = t != null && r.isDefined() && r.statistic() >= t.warning();
                    }
                    Double bound = null;
                    if (r.test() == DriftTests.KS && baseline != null && baseline.numeric() != null) {
                        bound = baseline.numeric().ksErrorBound();
                    } else if (r.isDefined()) {
                        // The error of a statistic computed from the bounded summaries (Wasserstein's, from the cells'
                        // widths); none when it is exact (bin or category counts) or no closed form bounds it.
                        double e = bounds == null ? 0 : r.test().errorBound(bounds);
                        bound = e > 0 ? e : null;
                    }
                    // Every field given, as a builder would take them (a builder a test of every subject of every
                    // window cost more than the record).
                    stats.add(new TestStatistic(r.test().id(), r.statistic(), r.pValue(), threshold, over, bound,
                            r.undefinedReason()));
                }
            }
            String kind = Subjects.isOperational(subject) ? "operational"
                    : Subjects.isOutput(subject) ? "output" : Subjects.isOutcome(subject) ? "outcome" : "feature";
            WindowStats ws = WindowVerdicts.stats(b, subject, kind)
                    .setBaselineId(baseline == null ? null : baseline.id())
                    .setSampleSize(summary.count())
                    .setMissingCount(summary.missing() + absent(b, subject, summary))
                    .setReferenceSampleSize(c == null ? 0 : c.referenceCount())
                    .setStatistics(stats)
                    .setDrifting(judgement != null && judgement.over())
                    .setPolicyVersion(c == null ? null : policy.version())
                    .setEvidence(judgement == null || judgement.insufficient() ? null : judgement.evidence())
                    .setSequentialEvidence(judgement == null || judgement.insufficient() ? null : judgement.sequential())
                    .setInsufficientData(judgement != null && judgement.insufficient())
                    .build();
            if (reason != null && stats.isEmpty()) {
                stats.add(TestStatistic.newBuilder().setTest("none").setValue(null).setPValue(null).setThreshold(null)
                        .setOverThreshold(false).setErrorBound(null).setUndefinedReason(reason).build());
                ws.setStatistics(stats);
            }
            MetricsReports.windowStats(settings.metrics(), ws, summary);
            out.windowStats(WindowKeys.output(b, subject), ws);
        }

        /** A feature's events without it (an empty CSV cell, a producer leaving it out): missing too. */
        private static long absent(WindowBundle b, String subject, SubjectSummary summary) {
            return Subjects.isOutput(subject) ? 0 : Math.max(0, b.events() - summary.count() - summary.missing());
        }

        private void step(WindowBundle b, String subject, AlertPolicy policy, ColumnComparison c,
                          FeatureVerdict verdict, Judgement j, String key, SubjectAlertState state,
                          BaselineLookup.Entry baseline) {
            DriftTest test = state.firingTest();
            Severity severity = state.firingSeverity();
            if (j.transition() == Transition.FIRING) {
                test = firingTest(verdict, c, policy);
                severity = j.severity();
            }
            SubjectAlertState next = (j.transition() == Transition.RESOLVED
                    ? new SubjectAlertState(j.persistence(), j.state(), null, Severity.NONE, null)
                    : new SubjectAlertState(j.persistence(), j.state(), test, severity, null))
                    .withOpenAlert(j.transition(), state, b, subject);
            alerts.put(key, next.toBytes());
            settings.metrics().alertState(b.modelId(), b.modelVersion(), WindowKeys.shown(b, subject),
                    next.persistence().isFiring(), next.firingSeverity().name());
            if (j.transition() == Transition.NONE) {
                return;
            }
            MetricsReports.alert(settings.metrics(), b.modelId(), b.modelVersion(), j.transition(), severity);
            TestResult result = c.test(test);
            Threshold threshold = policy.thresholds().get(test);
            double statistic;
            double limit;
            String quoted;
            if (j.transition() == Transition.RESOLVED) {
                // A RESOLVED quotes the evidence that fell below the resolve level, not a statistic of the firing test.
                statistic = j.evidence();
                limit = policy.evidence().resolveLevel();
                quoted = String.format(Locale.ROOT, "evidence = %.2f (below the resolve level %.2f for %d windows)",
                        statistic, limit, j.state().quietWindows());
            } else if (threshold != null && result != null && result.isDefined() && result.statistic() >= threshold.warning()) {
                statistic = result.statistic();
                limit = threshold.warning();
                quoted = String.format(Locale.ROOT, "%s = %.4f (threshold %.4g), evidence %.2f (fire level %.2f)",
                        test.id(), statistic, limit, j.evidence(), policy.evidence().fireLevel());
            } else {
                statistic = j.evidence();
                limit = policy.evidence().fireLevel();
                quoted = String.format(Locale.ROOT, "evidence = %.2f (fire level %.2f, %s)", statistic, limit,
                        j.sequential() >= limit ? "accumulated over windows" : "this window");
            }
            DriftAlert alert = alert(b, subject, policy, j.transition(), severity, test, statistic,
                    result == null ? null : result.pValue(),
                    verdict.adjustedPValue().isPresent() ? verdict.adjustedPValue().getAsDouble() : null,
                    limit, c.currentCount(), c.referenceCount(), baseline.id(), baseline.avro().getProvenance().getSource(),
                    j.persistence().driftedInLast(policy.persistence().windows()),
                    Subjects.isOperational(subject) ? SubjectKind.OPERATIONAL
                            : Subjects.isOutput(subject) ? SubjectKind.OUTPUT
                            : Subjects.isOutcome(subject) ? SubjectKind.BUSINESS : SubjectKind.FEATURE);
            alert.setSummary(String.format(Locale.ROOT, "%s %s %s/%s %s: %s, window %s..%s", alert.getState(), severity,
                    b.modelId(), b.modelVersion(), WindowKeys.shown(b, subject), quoted, Instant.ofEpochMilli(b.windowStart()),
                    Instant.ofEpochMilli(b.windowEnd())));
            out.alert(subject, alert);
        }

        private void stepDataset(WindowBundle b, List<Judgement> features) {
            AlertPolicy policy = out.policy(Subjects.DATASET);
            String key = WindowKeys.alertState(b, Subjects.DATASET);
            SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
            DatasetJudgement judged = policy.judgeDataset(state.persistence(), state.evidence(), features);
            DatasetVerdict verdict = judged.verdict();
            Judgement step = judged.judgement();
            Severity severity = step.transition() == Transition.FIRING ? verdict.severity() : state.firingSeverity();
            alerts.put(key, new SubjectAlertState(step.persistence(), step.state(), null,
                    step.transition() == Transition.RESOLVED ? Severity.NONE : severity, null)
                    .withOpenAlert(step.transition(), state, b, Subjects.DATASET).toBytes());
            settings.metrics().alertState(b.modelId(), b.modelVersion(), WindowKeys.shown(b, Subjects.DATASET),
                    step.persistence().isFiring(), step.persistence().isFiring() ? severity.name() : Severity.NONE.name());
            if (step.transition() == Transition.NONE) {
                return;
            }
            MetricsReports.alert(settings.metrics(), b.modelId(), b.modelVersion(), step.transition(), severity);
            boolean resolved = step.transition() == Transition.RESOLVED;
            // A RESOLVED quotes the share of features still at the resolve level or more, below the share it names.
            DriftAlert alert = alert(b, Subjects.DATASET, policy, step.transition(), severity, null,
                    resolved ? step.sequential() : verdict.share(), null, null, verdict.shareThreshold(), b.events(), 0,
                    "(per-feature baselines)", null, step.persistence().driftedInLast(policy.persistence().windows()),
                    SubjectKind.DATASET);
            alert.setSummary(resolved
                    ? String.format(Locale.ROOT, "%d of %d features at evidence %.2f or more (share %.2f, below %.2f for"
                            + " %d windows)", Math.round(step.sequential() * verdict.totalFeatures()),
                            verdict.totalFeatures(), policy.evidence().resolveLevel(), step.sequential(),
                            verdict.shareThreshold(), step.state().quietWindows())
                    : String.format(Locale.ROOT, "%d of %d features drifted (share %.2f, threshold %.2f)",
                            verdict.driftedFeatures(), verdict.totalFeatures(), verdict.share(), verdict.shareThreshold()));
            out.alert(Subjects.DATASET, alert);
        }

        /**
         * The model version's verdicts, except for subjects with a policy of their own: their verdict is the
         * one of their policy, over the same features (so the Benjamini-Hochberg adjustment is the same).
         */
        private List<FeatureVerdict> subjectVerdicts(WindowBundle b, AlertPolicy policy, Evaluation evaluation,
                                                     List<FeatureStatistics> statistics) {
            Map<AlertPolicy, Map<String, FeatureVerdict>> others = new LinkedHashMap<>();
            List<FeatureVerdict> verdicts = new ArrayList<>();
            for (FeatureVerdict v : evaluation.features()) {
                AlertPolicy own = out.policy(v.feature());
                if (own.equals(policy)) {
                    verdicts.add(v);
                    continue;
                }
                Map<String, FeatureVerdict> byFeature = others.computeIfAbsent(own, p -> {
                    Map<String, FeatureVerdict> m = new LinkedHashMap<>();
                    p.evaluateAll(statistics).features().forEach(f -> m.put(f.feature(), f));
                    return m;
                });
                verdicts.add(byFeature.getOrDefault(v.feature(), v));
            }
            return verdicts;
        }

        private static DriftTest firingTest(FeatureVerdict verdict, ColumnComparison c, AlertPolicy policy) {
            // The deciding effect size with the highest severity, then the first in test order; without one over its
            // warning threshold, the significance test (KS or chi-square) whose evidence fired.
            DriftTest best = null;
            Severity bestSeverity = Severity.NONE;
            for (Map.Entry<DriftTest, Severity> e : verdict.effectSeverities().entrySet()) {
                if (policy.decidingTests().contains(e.getKey()) && e.getValue() != Severity.NONE
                        && e.getValue().isAtLeast(bestSeverity) && (best == null || e.getValue() != bestSeverity)) {
                    best = e.getKey();
                    bestSeverity = e.getValue();
                }
            }
            if (best != null) {
                return best;
            }
            for (DriftTest t : c.tests().keySet()) {
                if (t.isSignificanceGate()) {
                    return t;
                }
            }
            return c.tests().keySet().iterator().next();
        }

        private DriftAlert alert(WindowBundle b, String subject, AlertPolicy policy, Transition transition,
                                 Severity severity, DriftTest test, double statistic, Double pValue, Double adjustedP,
                                 double threshold, long currentSize,
                                 long referenceSize, String baselineId, String baselineSource, int windowsOver,
                                 SubjectKind kind) {
            AlertState state = transition == Transition.FIRING ? AlertState.FIRING : AlertState.RESOLVED;
            String id = WindowKeys.alertId(b, subject, state);
            String summary = String.format(Locale.ROOT, "%s %s %s/%s %s: %s = %.4f (threshold %.4g), window %s..%s",
                    state, severity, b.modelId(), b.modelVersion(), WindowKeys.shown(b, subject),
                    test == null ? "drift share" : test.id(), statistic, threshold,
                    Instant.ofEpochMilli(b.windowStart()), Instant.ofEpochMilli(b.windowEnd()));
            return DriftAlert.newBuilder()
                    .setAlertId(id)
                    .setState(state)
                    .setSeverity(AlertFields.severity(severity))
                    .setTest(AlertFields.testOrUnknown(test))
                    .setStatistic(statistic)
                    .setPValue(pValue)
                    .setAdjustedPValue(adjustedP)
                    .setThreshold(threshold)
                    .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                    .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                    .setCurrentSampleSize(currentSize)
                    .setReferenceSampleSize(referenceSize)
                    .setBaselineId(baselineId)
                    .setBaselineSource(baselineSource)
                    .setPolicyVersion(policy.version())
                    .setModelId(b.modelId())
                    .setModelVersion(b.modelVersion())
                    .setSubject(WindowKeys.shown(b, subject))
                    .setSubjectKind(kind)
                    .setWindowsOverThreshold(windowsOver)
                    .setBusinessContext(null)
                    .setSummary(summary)
                    .build();
        }
    }
}
