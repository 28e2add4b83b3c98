package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.BusinessPart;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.CtrCheck;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.Locale;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The business step of a window's evaluation (when {@code business.enabled}): publishes the window's
 * {@code BusinessMetrics}, steps the CTR alert of the model version (subject {@value CtrBaseline#SUBJECT},
 * FIRING once and RESOLVED once under the policy's persistence rule, like every subject), and returns the
 * CTR context that the window's drift alerts carry.
 */
final class BusinessSignals {
    private final PipelineSettings settings;
    private final BusinessSettings business;
    private final BaselineLookup baselines;
    private final KeyValueStore<String, byte[]> alerts;

    BusinessSignals(PipelineSettings settings, BaselineLookup baselines, KeyValueStore<String, byte[]> alerts) {
        this.settings = settings;
        this.business = settings.signals().business();
        this.baselines = baselines;
        this.alerts = alerts;
    }

    /**
     * Evaluates the window's outcomes.
     *
     * @param policy  the policy of the CTR subject of the window's model version (its persistence and version)
     * @param signal  receives the BusinessMetrics record with its key
     * @param alert   receives a CTR alert on a state change
     * @return the CTR context for the window's drift alerts, or null when business outcomes are disabled or
     *     no request of the window had its outcomes joined
     */
    BusinessContext evaluate(WindowBundle b, AlertPolicy policy, BiConsumer<String, CtrCheck> signal,
                             Consumer<DriftAlert> alert) {
        if (!business.enabled()) {
            return null;
        }
        BusinessPart part = (BusinessPart) b.part(BusinessPart.NAME);
        CtrBaseline baseline = baselines.find(b.modelId(), b.modelVersion(), CtrBaseline.SUBJECT)
                .flatMap(e -> CtrBaseline.from(e.avro())).orElse(null);
        CtrCheck check = CtrCheck.of(b, part, baseline, business);
        signal.accept(CtrCheck.key(b), check);
        String name = "*".equals(b.segment()) ? CtrBaseline.SUBJECT : CtrBaseline.SUBJECT + "@" + b.segment();
        if (check.metrics().getCtr() != null) {
            // The latest CTR and its relative drop, as the statistic gauges (tests "ctr" and "rate").
            settings.metrics().statistic(b.modelId(), b.modelVersion(), name, "ctr", check.metrics().getCtr());
        }
        if (check.metrics().getCtrRelativeDrop() != null) {
            settings.metrics().statistic(b.modelId(), b.modelVersion(), name, "rate",
                    check.metrics().getCtrRelativeDrop());
        }
        if (check.tested()) {
            step(b, policy, check, alert);
        }
        return part == null || part.requests() == 0 ? null : check.context();
    }

    private void step(WindowBundle b, AlertPolicy policy, CtrCheck check, Consumer<DriftAlert> forward) {
        Persistence persistence = policy.persistence();
        String subject = CtrBaseline.SUBJECT;
        String key = b.modelId() + "|" + b.modelVersion() + "|" + b.segment() + "|" + subject;
        SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
        Persistence.Step step = persistence.next(state.persistence(), check.severity());
        Severity severity = step.transition() == Transition.FIRING ? check.severity() : state.firingSeverity();
        alerts.put(key, (step.transition() == Transition.RESOLVED
                ? new SubjectAlertState(step.state(), null, Severity.NONE)
                : new SubjectAlertState(step.state(), null, severity))
                .withOpenAlert(step.transition(), state, b, subject).toBytes());
        String name = "*".equals(b.segment()) ? subject : subject + "@" + b.segment();
        settings.metrics().alertState(b.modelId(), b.modelVersion(), name, step.state().isFiring(),
                step.state().isFiring() ? severity.name() : Severity.NONE.name());
        if (step.transition() == Transition.NONE) {
            return;
        }
        MetricsReports.alert(settings.metrics(), b.modelId(), b.modelVersion(), step.transition(), severity);
        AlertState alertState = step.transition() == Transition.FIRING ? AlertState.FIRING : AlertState.RESOLVED;
        double drop = Double.isNaN(check.test().relativeDrop()) ? 0.0 : check.test().relativeDrop();
        String summary = String.format(Locale.ROOT, "%s %s %s/%s %s: CTR %.4f vs baseline %.4f, relative drop"
                        + " %.1f %% (threshold %.1f %%), one-sided p = %.3g, %d impressions, window %s..%s", alertState,
                severity, b.modelId(), b.modelVersion(), name, check.test().currentRate(),
                check.test().referenceRate(), 100 * drop, 100 * business.dropWarning(), check.test().pValue(),
                check.metrics().getImpressionCount(), Instant.ofEpochMilli(b.windowStart()),
                Instant.ofEpochMilli(b.windowEnd()));
        forward.accept(DriftAlert.newBuilder()
                .setAlertId(WindowEvaluator.alertId(b, subject, alertState))
                .setState(alertState)
                .setSeverity(severity == Severity.CRITICAL ? dev.driftwatch.schemas.avro.Severity.CRITICAL
                        : dev.driftwatch.schemas.avro.Severity.WARNING)
                .setTest(DriftTest.RATE)
                .setStatistic(drop)
                .setPValue(check.test().pValue())
                .setAdjustedPValue(null)
                .setThreshold(business.dropWarning())
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setCurrentSampleSize(check.metrics().getImpressionCount())
                .setReferenceSampleSize(check.baseline().impressions())
                .setBaselineId(check.baseline().id())
                .setBaselineSource(check.baseline().source())
                .setPolicyVersion(policy.version())
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setSubject(name)
                .setSubjectKind(SubjectKind.BUSINESS)
                .setWindowsOverThreshold(step.driftedWindows())
                .setBusinessContext(check.context())
                .setSummary(summary)
                .build());
    }
}
