package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.ColumnComparison;
import dev.driftwatch.detectors.DriftTest;
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
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.UnattributedOutcomes;
import dev.driftwatch.streams.slo.ServiceLevelJudge;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Stage two, keyed by model version: merges the window states that the input partitions send, and
 * when every input partition's watermark has passed a window's end, evaluates the window against
 * the baselines with the policy. Emits a {@link WindowStats} for every subject of every window and a
 * {@link DriftAlert} on every state change (FIRING once, RESOLVED once), per subject and for the
 * dataset of the model version.
 *
 * <p>Control commands arrive on the same partitions as the windows of their model version and are
 * applied by {@link ControlHandler}: the policy of a model version or subject, mutes, retained windows
 * for baseline capture, acknowledgements; their results and captured baselines are outputs too.
 */
public final class WindowEvaluator implements Processor<String, Partial, String, WindowEvaluator.Output> {
    public static final String WINDOWS_STORE = "driftwatch-merged-windows";
    public static final String WATERMARKS_STORE = "driftwatch-watermarks";
    public static final String ALERTS_STORE = "driftwatch-alert-state";
    public static final String POLICIES_STORE = "driftwatch-control-policies";
    public static final String MUTES_STORE = "driftwatch-control-mutes";
    public static final String COMMAND_LOG_STORE = "driftwatch-control-log";
    public static final String RETAINED_WINDOWS_STORE = "driftwatch-retained-windows";
    public static final String ALERT_LOG_STORE = "driftwatch-alert-log";
    /** Every store of this processor, in the order the topology connects them. */
    public static final String[] STORES = {WINDOWS_STORE, WATERMARKS_STORE, ALERTS_STORE, POLICIES_STORE,
        MUTES_STORE, COMMAND_LOG_STORE, RETAINED_WINDOWS_STORE, ALERT_LOG_STORE, ServiceLevelJudge.STORE};

    /**
     * One output: window statistics, an alert, a control command's result, a captured baseline, or
     * another signal's record (BusinessMetrics, ServiceLevels, RoleComparison), routed by its type.
     */
    public record Output(WindowStats stats, DriftAlert alert, ControlResult result, Baseline baseline,
                         SpecificRecord signal) {
        public Output(WindowStats stats, DriftAlert alert) {
            this(stats, alert, null, null, null);
        }

        static Output result(ControlResult result) {
            return new Output(null, null, result, null, null);
        }

        static Output baseline(Baseline baseline) {
            return new Output(null, null, null, baseline, null);
        }

        /** A record of another signal, for the topic of its type. */
        public static Output signal(SpecificRecord record) {
            return new Output(null, null, null, null, record);
        }
    }

    private final PipelineSettings settings;
    private final BaselineLookup baselines;
    private ProcessorContext<String, Output> context;
    private WindowStateStore windows;
    private KeyValueStore<String, Long> watermarks;
    private KeyValueStore<String, byte[]> alerts;
    private final ControlSettings controlSettings;
    private ControlHandler control;
    private BusinessSignals business;
    /** The CTR context of the window being evaluated, which its alerts carry; null without outcomes. */
    private BusinessContext windowContext;
    private RoleSignals roles;
    private ServiceLevelJudge serviceLevels;

    public WindowEvaluator(PipelineSettings settings, BaselineLookup baselines) {
        this(settings, baselines, ControlSettings.defaults());
    }

    public WindowEvaluator(PipelineSettings settings, BaselineLookup baselines, ControlSettings controlSettings) {
        this.settings = settings;
        this.baselines = baselines;
        this.controlSettings = controlSettings;
    }

    @Override
    public void init(ProcessorContext<String, Output> context) {
        this.context = context;
        this.windows = context.getStateStore(WINDOWS_STORE);
        this.watermarks = context.getStateStore(WATERMARKS_STORE);
        this.alerts = context.getStateStore(ALERTS_STORE);
        this.baselines.init(context);
        this.control = new ControlHandler(settings, controlSettings, context);
        this.business = new BusinessSignals(settings, baselines, alerts);
        this.roles = new RoleSignals(settings, context, alerts, control);
        this.serviceLevels = new ServiceLevelJudge(settings, context.getStateStore(ServiceLevelJudge.STORE));
    }

    @Override
    public void process(Record<String, Partial> record) {
        Partial partial = record.value();
        if (partial == null) {
            return;
        }
        if (partial.isCommand()) {
            control.apply(record.key(), partial.command(), record.timestamp());
            return;
        }
        if (partial.isWatermark()) {
            String key = "p" + partial.sourcePartition();
            Long previous = watermarks.get(key);
            if (previous == null || partial.closedUpTo() > previous) {
                watermarks.put(key, partial.closedUpTo());
            }
            watermarks.put("partitions", (long) partial.sourcePartitions());
            evaluateReadyWindows();
            return;
        }
        WindowBundle bundle = partial.bundle();
        String key = EventSummarizer.bundleKey(bundle.windowEnd(), bundle.modelId(), bundle.modelVersion(),
                bundle.segment());
        // The merged window stays a live object until it is evaluated; the store writes it to its changelog
        // only if a commit comes first (usually every partition's part arrives within one commit interval).
        WindowBundle existing = windows.get(key);
        windows.put(key, existing == null ? bundle : existing.merge(bundle));
    }

    /** The lowest watermark over all input partitions, or MIN_VALUE while one has not reported. */
    private long lowWatermark() {
        Long partitions = watermarks.get("partitions");
        if (partitions == null) {
            return Long.MIN_VALUE;
        }
        long low = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++) {
            Long w = watermarks.get("p" + p);
            if (w == null) {
                return Long.MIN_VALUE;
            }
            low = Math.min(low, w);
        }
        return low;
    }

    private void evaluateReadyWindows() {
        long low = lowWatermark();
        if (low == Long.MIN_VALUE) {
            return;
        }
        // A copy: evaluating deletes windows from the store's live view.
        List<Map.Entry<String, WindowBundle>> ready = new ArrayList<>(
                windows.upTo(EventSummarizer.sortableTime(low) + "|\uffff").entrySet());
        for (Map.Entry<String, WindowBundle> kv : ready) {
            WindowBundle bundle = kv.getValue();
            if (bundle.windowEnd() <= low && UnattributedOutcomes.is(bundle)) {
                // Outcomes no model version took: only their BusinessMetrics record.
                business.evaluate(bundle, policyOf(bundle, CtrBaseline.SUBJECT), (key, check) -> context.forward(
                        new Record<>(key, Output.signal(check.metrics()), bundle.windowEnd())), alert -> { });
                windows.delete(kv.getKey());
            } else if (bundle.windowEnd() <= low) {
                settings.metrics().windowEvaluated(bundle.modelId(), bundle.modelVersion());
                evaluate(bundle);
                roles.emit(bundle, (subject, alert) -> forwardAlert(bundle, subject, alert));
                control.retain(bundle);
                windows.delete(kv.getKey());
            }
        }
    }

    private void evaluate(WindowBundle bundle) {
        AlertPolicy policy = control.policy(bundle.modelId(), bundle.modelVersion(), null);
        windowContext = business.evaluate(bundle, policyOf(bundle, CtrBaseline.SUBJECT),
                (key, check) -> context.forward(new Record<>(key, Output.signal(check.metrics()), bundle.windowEnd())),
                alert -> forwardAlert(bundle, CtrBaseline.SUBJECT, alert));
        Map<String, ColumnComparison> comparisons = new LinkedHashMap<>();
        Map<String, BaselineLookup.Entry> used = new LinkedHashMap<>();
        Map<String, String> notEvaluated = new LinkedHashMap<>();
        Map<String, WindowEvidence> evidence = new LinkedHashMap<>();
        List<FeatureStatistics> statistics = new ArrayList<>();
        for (Map.Entry<String, SubjectSummary> e : bundle.subjects().entrySet()) {
            String subject = e.getKey();
            SubjectSummary summary = e.getValue();
            Optional<BaselineLookup.Entry> baseline = baselines.find(bundle.modelId(), bundle.modelVersion(), subject);
            ColumnComparison comparison = null;
            settings.metrics().baselineMissing(BaselineCodec.key(bundle.modelId(), bundle.modelVersion(), subject),
                    baseline.isEmpty() ? "no baseline: its windows are summarised, not tested" : null);
            if (baseline.isEmpty()) {
                notEvaluated.put(subject, "no baseline for " + subject + " of " + bundle.modelId() + "/"
                        + bundle.modelVersion());
            } else if (summary.kind() == SubjectSummary.Kind.NUMERIC && baseline.get().numeric() != null) {
                if (baseline.get().id().equals(summary.baselineId())) {
                    comparison = SummaryComparisons.numeric(baseline.get().numeric(), summary.numericSummary());
                    evidence.put(subject, SummaryEvidence.numeric(baseline.get().numeric(), summary.numericSummary(),
                            comparison));
                } else {
                    notEvaluated.put(subject, "baseline changed during the window (window on "
                            + summary.baselineId() + ", current " + baseline.get().id() + ")");
                }
            } else if (summary.kind() == SubjectSummary.Kind.CATEGORICAL && baseline.get().categorical() != null) {
                comparison = SummaryComparisons.categorical(baseline.get().categorical(), summary.categoricalSummary());
                evidence.put(subject, SummaryEvidence.categorical(baseline.get().categorical(),
                        summary.categoricalSummary()));
            } else {
                notEvaluated.put(subject, summary.kind() == SubjectSummary.Kind.NUMERIC_WITHOUT_BASELINE
                        ? "the baseline arrived during the window; the next window is evaluated"
                        : "the baseline's kind does not match the values (" + summary.kind() + ")");
            }
            if (comparison != null) {
                comparisons.put(subject, comparison);
                used.put(subject, baseline.get());
                statistics.add(FeatureStatistics.of(subject, new ArrayList<>(comparison.tests().values())));
            }
        }
        Evaluation evaluation = policy.evaluateAll(statistics);
        Map<String, FeatureVerdict> verdicts = new LinkedHashMap<>();
        for (FeatureVerdict v : subjectVerdicts(bundle, policy, evaluation, statistics)) {
            verdicts.put(v.feature(), v);
        }
        Map<String, FeatureStatistics> statisticsBySubject = new LinkedHashMap<>();
        statistics.forEach(f -> statisticsBySubject.put(f.feature(), f));
        List<Judgement> judgedFeatures = new ArrayList<>();
        for (Map.Entry<String, SubjectSummary> e : bundle.subjects().entrySet()) {
            String subject = e.getKey();
            ColumnComparison c = comparisons.get(subject);
            FeatureVerdict v = verdicts.get(subject);
            String key = stateKey(bundle, subject);
            SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
            Judgement judgement = c == null ? null : policyOf(bundle, subject).judge(state.persistence(),
                    state.evidence(), statisticsBySubject.get(subject), evidence.get(subject));
            emitStats(bundle, subject, e.getValue(), c, v, judgement, used.get(subject), notEvaluated.get(subject));
            if (c != null) {
                step(bundle, subject, c, v, judgement, state, used.get(subject));
                if (!judgement.insufficient() && !Subjects.isOutput(subject)) {
                    judgedFeatures.add(judgement);
                }
            }
        }
        if (!judgedFeatures.isEmpty()) {
            stepDataset(bundle, judgedFeatures);
        }
        CtrBaseline ctrBaseline = baselines.find(bundle.modelId(), bundle.modelVersion(), CtrBaseline.SUBJECT)
                .flatMap(e -> CtrBaseline.from(e.avro())).orElse(null);
        serviceLevels.judge(bundle, ctrBaseline).ifPresent(r -> {
            context.forward(new Record<>(r.key(), Output.signal(r.levels()), bundle.windowEnd()));
            r.alerts().forEach(a -> forwardAlert(bundle, a.subject(), a.alert()));
        });
    }

    private void emitStats(WindowBundle b, String subject, SubjectSummary summary, ColumnComparison c,
                           FeatureVerdict verdict, Judgement judgement, BaselineLookup.Entry baseline, String reason) {
        AlertPolicy policy = policyOf(b, subject);
        List<TestStatistic> stats = new ArrayList<>();
        if (c != null) {
            for (TestResult r : c.tests().values()) {
                Threshold t = policy.thresholds().get(r.test());
                boolean over;
                Double threshold;
                if (r.test().isSignificanceTest()) {
                    threshold = policy.alpha();
                    over = verdict.adjustedPValue().isPresent() && verdict.adjustedPValue().getAsDouble() <= policy.alpha();
                } else {
                    threshold = t == null ? null : t.warning();
                    over = t != null && r.isDefined() && r.statistic() >= t.warning();
                }
                Double bound = r.test() == DriftTest.KS && baseline != null && baseline.numeric() != null
                        ? baseline.numeric().ksErrorBound() : null;
                stats.add(TestStatistic.newBuilder()
                        .setTest(r.test().id())
                        .setValue(r.statistic())
                        .setPValue(r.pValue())
                        .setThreshold(threshold)
                        .setOverThreshold(over)
                        .setErrorBound(bound)
                        .setUndefinedReason(r.undefinedReason())
                        .build());
            }
        }
        WindowStats ws = WindowStats.newBuilder()
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setSubject(subjectName(b, subject))
                .setSubjectKind(Subjects.isOutput(subject) ? "output" : "feature")
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setBaselineId(baseline == null ? null : baseline.id())
                .setSampleSize(summary.count())
                .setMissingCount(summary.missing())
                .setReferenceSampleSize(c == null ? 0 : c.referenceCount())
                .setStatistics(stats)
                .setDrifting(judgement != null && judgement.over())
                .setPolicyVersion(c == null ? null : policy.version())
                .setLateEventsDropped(b.lateEvents())
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
        context.forward(new Record<>(outputKey(b, subject), new Output(ws, null), b.windowEnd()));
    }

    private void step(WindowBundle b, String subject, ColumnComparison c, FeatureVerdict verdict, Judgement j,
                      SubjectAlertState state, BaselineLookup.Entry baseline) {
        AlertPolicy policy = policyOf(b, subject);
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
        alerts.put(stateKey(b, subject), next.toBytes());
        settings.metrics().alertState(b.modelId(), b.modelVersion(), subjectName(b, subject),
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
        DriftAlert alert = alert(b, subject, j.transition(), severity, test, statistic,
                result == null ? null : result.pValue(),
                verdict.adjustedPValue().isPresent() ? verdict.adjustedPValue().getAsDouble() : null,
                limit, c.currentCount(), c.referenceCount(), baseline.id(), baseline.avro().getProvenance().getSource(),
                j.persistence().driftedInLast(policy.persistence().windows()),
                Subjects.isOutput(subject) ? SubjectKind.OUTPUT : SubjectKind.FEATURE);
        alert.setSummary(String.format(Locale.ROOT, "%s %s %s/%s %s: %s, window %s..%s", alert.getState(), severity,
                b.modelId(), b.modelVersion(), subjectName(b, subject), quoted, Instant.ofEpochMilli(b.windowStart()),
                Instant.ofEpochMilli(b.windowEnd())));
        forwardAlert(b, subject, alert);
    }

    private void stepDataset(WindowBundle b, List<Judgement> features) {
        AlertPolicy policy = policyOf(b, Subjects.DATASET);
        String key = stateKey(b, Subjects.DATASET);
        SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
        DatasetJudgement judged = policy.judgeDataset(state.persistence(), state.evidence(), features);
        DatasetVerdict verdict = judged.verdict();
        Judgement step = judged.judgement();
        Severity severity = step.transition() == Transition.FIRING ? verdict.severity() : state.firingSeverity();
        alerts.put(key, new SubjectAlertState(step.persistence(), step.state(), null,
                step.transition() == Transition.RESOLVED ? Severity.NONE : severity, null)
                .withOpenAlert(step.transition(), state, b, Subjects.DATASET).toBytes());
        settings.metrics().alertState(b.modelId(), b.modelVersion(), subjectName(b, Subjects.DATASET),
                step.persistence().isFiring(), step.persistence().isFiring() ? severity.name() : Severity.NONE.name());
        if (step.transition() == Transition.NONE) {
            return;
        }
        MetricsReports.alert(settings.metrics(), b.modelId(), b.modelVersion(), step.transition(), severity);
        boolean resolved = step.transition() == Transition.RESOLVED;
        // A RESOLVED quotes the share of features still at the resolve level or more, below the share it names.
        DriftAlert alert = alert(b, Subjects.DATASET, step.transition(), severity, null,
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
        forwardAlert(b, Subjects.DATASET, alert);
    }

    /** The policy of a subject of the window's model version: set by SET_POLICY, else the configured one. */
    private AlertPolicy policyOf(WindowBundle b, String subject) {
        return control.policy(b.modelId(), b.modelVersion(), subject);
    }

    /**
     * The model version's verdicts, except for subjects with a policy of their own: their verdict is the
     * one of their policy, over the same features (so the Benjamini-Hochberg adjustment is the same).
     */
    private List<FeatureVerdict> subjectVerdicts(WindowBundle b, AlertPolicy policy, Evaluation evaluation,
                                                 List<FeatureStatistics> statistics) {
        Map<AlertPolicy, Map<String, FeatureVerdict>> others = new LinkedHashMap<>();
        List<FeatureVerdict> out = new ArrayList<>();
        for (FeatureVerdict v : evaluation.features()) {
            AlertPolicy own = policyOf(b, v.feature());
            if (own.equals(policy)) {
                out.add(v);
                continue;
            }
            Map<String, FeatureVerdict> byFeature = others.computeIfAbsent(own, p -> {
                Map<String, FeatureVerdict> m = new LinkedHashMap<>();
                p.evaluateAll(statistics).features().forEach(f -> m.put(f.feature(), f));
                return m;
            });
            out.add(byFeature.getOrDefault(v.feature(), v));
        }
        return out;
    }

    /** Forwards an alert unless its subject or model version is muted; its state was kept all the same. */
    private void forwardAlert(WindowBundle b, String subject, DriftAlert alert) {
        if (control.isMuted(b.modelId(), b.modelVersion(), subject, b.windowEnd())) {
            return;
        }
        if (windowContext != null && alert.getBusinessContext() == null) {
            alert.setBusinessContext(windowContext);
        }
        control.alerted(alert);
        context.forward(new Record<>(outputKey(b, subject), new Output(null, alert), b.windowEnd()));
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
            if (t.isSignificanceTest()) {
                return t;
            }
        }
        return c.tests().keySet().iterator().next();
    }

    private DriftAlert alert(WindowBundle b, String subject, Transition transition, Severity severity, DriftTest test,
                             double statistic, Double pValue, Double adjustedP, double threshold, long currentSize,
                             long referenceSize, String baselineId, String baselineSource, int windowsOver,
                             SubjectKind kind) {
        AlertState state = transition == Transition.FIRING ? AlertState.FIRING : AlertState.RESOLVED;
        String id = alertId(b, subject, state);
        String summary = String.format(Locale.ROOT, "%s %s %s/%s %s: %s = %.4f (threshold %.4g), window %s..%s",
                state, severity, b.modelId(), b.modelVersion(), subjectName(b, subject),
                test == null ? "drift share" : test.id(), statistic, threshold,
                Instant.ofEpochMilli(b.windowStart()), Instant.ofEpochMilli(b.windowEnd()));
        return DriftAlert.newBuilder()
                .setAlertId(id)
                .setState(state)
                .setSeverity(severity == Severity.CRITICAL ? dev.driftwatch.schemas.avro.Severity.CRITICAL
                        : dev.driftwatch.schemas.avro.Severity.WARNING)
                .setTest(test == null ? dev.driftwatch.schemas.avro.DriftTest.UNKNOWN
                        : dev.driftwatch.schemas.avro.DriftTest.valueOf(test.name()))
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
                .setPolicyVersion(policyOf(b, subject).version())
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setSubject(subjectName(b, subject))
                .setSubjectKind(kind)
                .setWindowsOverThreshold(windowsOver)
                .setBusinessContext(null)
                .setSummary(summary)
                .build();
    }

    /** Deterministic: the same window, subject and state change give the same id, live or replayed. */
    public static String alertId(WindowBundle b, String subject, AlertState state) {
        String text = b.modelId() + "|" + b.modelVersion() + "|" + b.segment() + "|" + subject + "|"
                + b.windowStart() + "|" + b.windowEnd() + "|" + state;
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return "al-" + HexFormat.of().formatHex(digest, 0, 10);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subjectName(WindowBundle b, String subject) {
        return "*".equals(b.segment()) ? subject : subject + "@" + b.segment();
    }

    private static String stateKey(WindowBundle b, String subject) {
        return b.modelId() + "|" + b.modelVersion() + "|" + b.segment() + "|" + subject;
    }

    private static String outputKey(WindowBundle b, String subject) {
        return b.modelId() + "/" + b.modelVersion() + "/" + subjectName(b, subject);
    }
}
