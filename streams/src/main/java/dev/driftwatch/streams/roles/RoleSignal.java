package dev.driftwatch.streams.roles;

import dev.driftwatch.detectors.DriftTest;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.RoleStatistic;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.AlertFields;
import dev.driftwatch.streams.internals.MetricsReports;
import dev.driftwatch.streams.internals.OpenWindows;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.SubjectAlertState;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.internals.WindowPart;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Shadow and canary versions compared with the primary on the same requests (when {@code roles.enabled}):
 * in the summarizing stage, {@link RoleJoin} pairs each candidate's outputs with the primary's per request
 * into the windows' {@link RolePairs}. At the evaluation of a merged window: emits the window's {@link RoleComparison}s, and steps the alert
 * state of each candidate against each primary version through the policy's persistence (m of n), so that
 * a candidate that keeps differing fires one {@link DriftAlert} of kind ROLE and resolves once.
 *
 * <p>The state lives in the alert-state store under subject {@code *role:PRIMARY_VERSION} of the
 * candidate version (a name no feature can have), so {@code GET /status} lists it too. A window with fewer
 * paired requests than {@code roles.min.paired.requests} leaves the state as it is. The alert's test is the
 * first distribution test over its threshold (PSI, then KS; scores, then labels), or RATE when only the
 * agreement rate fell below {@code roles.agreement.min}; the state keeps that output and test, so that the
 * alert (FIRING and RESOLVED) reports the statistic of that output, not another output's of the same test.
 * Its id is derived from the window, subject and state, the same live or replayed. Alerts go out through
 * the evaluator's alert forwarding, so muting applies and they carry their window's business context.
 */
public final class RoleSignal implements Signal {
    /** Prefix of the alert subject of a candidate compared with a primary version. */
    static final String SUBJECT_PREFIX = "*role:";

    private final PipelineSettings settings;

    public RoleSignal(PipelineSettings settings) {
        this.settings = settings;
    }

    @Override
    public Map<String, WindowPart.Reader> parts() {
        return Map.of(RolePairs.NAME, RolePairs::read);
    }

    @Override
    public Observer observer(ObserverContext context) {
        RoleJoin join = RoleJoin.create(settings, context.processor(), new OpenWindows(context.windows(), settings),
                context.baselines());
        return join == null ? null : new Observer() {
            @Override
            public void observed(InferenceEvent event, String segment, long streamTime) {
                join.observe(event, segment, streamTime);
            }
        };
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        KeyValueStore<String, byte[]> alerts = context.alerts();
        return (window, out) -> emit(window, alerts, out);
    }

    /** Emits the comparisons of a merged window and their alert transitions. */
    private void emit(WindowBundle bundle, KeyValueStore<String, byte[]> alerts, WindowOutput out) {
        RoleSettings roles = RoleSettings.of(settings.signals());
        for (RoleComparison c : RoleComparisons.of(bundle, roles)) {
            out.record(RoleComparisons.key(c), c);
            if (!RoleComparisons.NO_PRIMARY.equals(c.getPrimaryVersion()) && c.getPairedRequests() >= roles.minPairs()) {
                step(bundle, c, roles, alerts, out);
            }
        }
    }

    private void step(WindowBundle b, RoleComparison c, RoleSettings roles, KeyValueStore<String, byte[]> alerts,
                      WindowOutput out) {
        String subject = SUBJECT_PREFIX + c.getPrimaryVersion();
        AlertPolicy policy = out.policy(subject);
        Persistence persistence = policy.persistence();
        String key = WindowKeys.alertState(b, subject);
        SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
        Persistence.Step step = persistence.next(state.persistence(), c.getDiffers() ? Severity.WARNING : Severity.NONE);
        RoleStatistic deciding = c.getStatistics().stream().filter(RoleStatistic::getOverThreshold).findFirst()
                .orElse(null);
        DriftTest test = state.firingTest();
        String output = state.firingOutput();
        Severity severity = state.firingSeverity();
        if (step.transition() == Transition.FIRING) {
            test = deciding == null ? null : DriftTest.valueOf(deciding.getTest());
            output = deciding == null ? null : deciding.getOutput();
            severity = Severity.WARNING;
        }
        SubjectAlertState next = (step.transition() == Transition.RESOLVED
                ? new SubjectAlertState(step.state(), null, Severity.NONE)
                : new SubjectAlertState(step.state(), test, severity, output))
                .withOpenAlert(step.transition(), state, b, subject);
        alerts.put(key, next.toBytes());
        String shown = WindowKeys.shown(b, subject);
        settings.metrics().alertState(b.modelId(), b.modelVersion(), shown, next.persistence().isFiring(),
                next.firingSeverity().name());
        if (step.transition() == Transition.NONE) {
            return;
        }
        MetricsReports.alert(settings.metrics(), b.modelId(), b.modelVersion(), step.transition(), severity);
        AlertState alertState = step.transition() == Transition.FIRING ? AlertState.FIRING : AlertState.RESOLVED;
        String testName = test == null ? null : test.name();
        String firedOutput = output;
        RoleStatistic reported = testName == null ? null : c.getStatistics().stream()
                .filter(s -> s.getTest().equals(testName) && s.getValue() != null
                        && (firedOutput == null || s.getOutput().equals(firedOutput)))
                .findFirst().orElse(null);
        double statistic = reported != null ? reported.getValue()
                : c.getAgreementRate() == null ? 0.0 : c.getAgreementRate();
        double threshold = reported != null && reported.getThreshold() != null ? reported.getThreshold()
                : test == null ? roles.minAgreement() : 0.0;
        String what = reported != null ? reported.getOutput() + " " + test.id()
                : test == null ? "agreement rate" : test.id();
        DriftAlert alert = DriftAlert.newBuilder()
                .setAlertId(WindowKeys.alertId(b, subject, alertState))
                .setState(alertState)
                .setSeverity(AlertFields.severity(Severity.WARNING))
                .setTest(AlertFields.testOrRate(test))
                .setStatistic(statistic)
                .setPValue(reported == null ? null : reported.getPValue())
                .setAdjustedPValue(null)
                .setThreshold(threshold)
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setCurrentSampleSize(c.getPairedRequests())
                .setReferenceSampleSize(c.getPairedRequests())
                .setBaselineId(c.getBaselineId() == null ? "(primary " + c.getPrimaryVersion() + ")" : c.getBaselineId())
                .setBaselineSource("primary version " + c.getPrimaryVersion() + " on the same requests")
                .setPolicyVersion(policy.version())
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setSubject(shown)
                .setSubjectKind(SubjectKind.ROLE)
                .setWindowsOverThreshold(step.driftedWindows())
                .setBusinessContext(null)
                .setSummary(String.format(Locale.ROOT, "%s %s %s %s/%s against primary %s: %s = %.4f (threshold %.4g),"
                                + " agreement %s of %d paired requests, window %s..%s", alertState, "WARNING",
                        c.getCandidateRole(), b.modelId(), b.modelVersion(), c.getPrimaryVersion(), what, statistic,
                        threshold, c.getAgreementRate() == null ? "n/a"
                                : String.format(Locale.ROOT, "%.3f", c.getAgreementRate()),
                        c.getPairedRequests(), Instant.ofEpochMilli(b.windowStart()), Instant.ofEpochMilli(b.windowEnd())))
                .build();
        out.alert(subject, alert);
    }
}
