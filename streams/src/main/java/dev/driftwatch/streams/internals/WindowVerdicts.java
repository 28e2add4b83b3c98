package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;

/**
 * A subject judged by one severity per window (a rate, a mean against its band, a performance measure): its
 * persistence state steps under the policy's m-of-n rule, the alert-state gauge follows, and a state change
 * gives one {@link DriftAlert} (FIRING once, RESOLVED once, with deterministic ids).
 */
public final class WindowVerdicts {
    private WindowVerdicts() {
    }

    /** What a step did: the transition, the severity the alert carries, and the window's drifted count. */
    public record Step(Transition transition, Severity severity, int driftedWindows) {
        public boolean changed() {
            return transition != Transition.NONE;
        }

        /** FIRING or RESOLVED (only when {@link #changed()}). */
        public AlertState state() {
            return transition == Transition.FIRING ? AlertState.FIRING : AlertState.RESOLVED;
        }
    }

    /** Steps the subject's state with the window's severity ({@link Severity#NONE}: not drifted) and stores it. */
    public static Step step(PipelineSettings settings, KeyValueStore<String, byte[]> alerts, WindowBundle b,
                            String subject, AlertPolicy policy, Severity windowSeverity) {
        Persistence persistence = policy.persistence();
        String key = WindowKeys.alertState(b, subject);
        SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
        Persistence.Step step = persistence.next(state.persistence(), windowSeverity);
        Severity severity = step.transition() == Transition.FIRING ? windowSeverity : state.firingSeverity();
        alerts.put(key, (step.transition() == Transition.RESOLVED
                ? new SubjectAlertState(step.state(), null, Severity.NONE)
                : new SubjectAlertState(step.state(), null, severity))
                .withOpenAlert(step.transition(), state, b, subject).toBytes());
        settings.metrics().alertState(b.modelId(), b.modelVersion(), WindowKeys.shown(b, subject),
                step.state().isFiring(), step.state().isFiring() ? severity.name() : Severity.NONE.name());
        if (step.transition() != Transition.NONE) {
            MetricsReports.alert(settings.metrics(), b.modelId(), b.modelVersion(), step.transition(), severity);
        }
        return new Step(step.transition(), severity, step.driftedWindows());
    }

    /**
     * The alert of a step that changed the state, without its business context (the window's is added on the way
     * out).
     */
    public static DriftAlert.Builder alert(WindowBundle b, String subject, Step step, AlertPolicy policy, DriftTest test,
                                           SubjectKind kind) {
        return DriftAlert.newBuilder()
                .setAlertId(WindowKeys.alertId(b, subject, step.state()))
                .setState(step.state())
                .setSeverity(AlertFields.severity(step.severity()))
                .setTest(test)
                .setAdjustedPValue(null)
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setPolicyVersion(policy.version())
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setSubject(WindowKeys.shown(b, subject))
                .setSubjectKind(kind)
                .setWindowsOverThreshold(step.driftedWindows())
                .setBusinessContext(null);
    }

    /**
     * A window's statistics record of one subject with what every signal fills the same way (the window, the subject
     * as shown, the late events, no drift evidence); the signal adds its counts, statistics and verdict.
     */
    public static WindowStats.Builder stats(WindowBundle b, String subject, String kind) {
        return WindowStats.newBuilder()
                .setModelId(b.modelId())
                .setModelVersion(b.modelVersion())
                .setSubject(WindowKeys.shown(b, subject))
                .setSubjectKind(kind)
                .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                .setLateEventsDropped(b.lateEvents())
                .setEvidence(null)
                .setSequentialEvidence(null);
    }
}
