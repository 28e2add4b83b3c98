package dev.driftwatch.streams.business;

import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.detectors.policy.Severity;
import dev.driftwatch.detectors.policy.Transition;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.DriftTest;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.internals.AlertFields;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.MetricsReports;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.SubjectAlertState;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowKeys;
import dev.driftwatch.streams.internals.WindowPart;
import dev.driftwatch.streams.internals.WindowStateStore;
import org.apache.kafka.streams.state.KeyValueStore;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Business outcomes (when {@code business.enabled}): in the summarizing stage, joins outcome events to the
 * requests of the inference events ({@link OutcomeJoin}) and adds each request whose outcomes are final to
 * the {@link BusinessPart} of the windows that took it; outcomes no request took are counted in windows of
 * their own ({@link UnattributedOutcomes}); judge scores and values go to the window's subjects that have a
 * baseline ({@link JudgeScores}). In the evaluating stage, publishes each window's {@code BusinessMetrics},
 * steps the alerts of the model version's CTR (subject {@value CtrBaseline#SUBJECT}), conversion rate,
 * negative-feedback rate and success rate ({@link OutcomeRate}) and mean value per request
 * ({@value MeanCheck#SUBJECT}), each FIRING once and RESOLVED once under the policy's persistence rule, like
 * every subject, and gives the CTR context that the window's other alerts carry. CAPTURE_BASELINE builds the
 * rates' baselines from retained windows too.
 */
public final class BusinessSignal implements Signal {
    private final PipelineSettings settings;
    private final BusinessSettings business;
    private final FinalRequests finalRequests;

    /**
     * What another signal does with a request whose outcomes are final, in each window that took its inference
     * (e.g. the performance signal's labelled scores); the window is stored after it.
     */
    @FunctionalInterface
    public interface FinalRequests {
        void add(WindowBundle window, JoinedRequest request);
    }

    public BusinessSignal(PipelineSettings settings) {
        this(settings, (w, r) -> { });
    }

    public BusinessSignal(PipelineSettings settings, FinalRequests finalRequests) {
        this.settings = settings;
        this.business = BusinessSettings.of(settings.signals());
        this.finalRequests = finalRequests;
    }

    @Override
    public Map<String, WindowPart.Reader> parts() {
        return Map.of(BusinessPart.NAME, BusinessPart::read);
    }

    @Override
    public Observer observer(ObserverContext context) {
        if (!business.enabled()) {
            return null;
        }
        WindowStateStore windows = context.windows();
        OutcomeJoin join = new OutcomeJoin(business, settings.metrics(),
                context.processor().getStateStore(OutcomeJoin.STORE),
                new UnattributedOutcomes(settings, windows)::count);
        return new Joining(join, windows, context.baselines());
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        return new Evaluating(context.baselines(), context.alerts());
    }

    /** The summarizing stage: the join, and final requests into their windows. */
    private final class Joining implements Observer {
        private final OutcomeJoin join;
        private final WindowStateStore windows;
        private final BaselineLookup baselines;

        Joining(OutcomeJoin join, WindowStateStore windows, BaselineLookup baselines) {
            this.join = join;
            this.windows = windows;
            this.baselines = baselines;
        }

        @Override
        public void added(byte[] recordKey, InferenceEvent event, String segment, List<WindowBundle> taken,
                          long streamTime) {
            if (!taken.isEmpty()) {
                join.inference(recordKey, event.getRequestId(), event.getRole(), event.getModelId(),
                        event.getModelVersion(), segment, event.getEventTime().toEpochMilli(),
                        taken.get(taken.size() - 1).windowEnd(), streamTime, score(event),
                        event.getOutputs() == null ? null : event.getOutputs().getLabel());
            }
        }

        @Override
        public void closing(long streamTime, long closedUpTo) {
            long closing = closedUpTo - Math.floorMod(closedUpTo, settings.windowAdvance().toMillis());
            join.finish(streamTime, closing > windows.watermark(), this::addOutcomes);
        }

        private static double score(InferenceEvent event) {
            Double s = event.getOutputs() == null ? null : event.getOutputs().getScore();
            return s == null ? Double.NaN : s;
        }

        /** Adds a request whose outcomes are final to the windows that took its inference. */
        private void addOutcomes(JoinedRequest r) {
            long time = r.eventTime();
            long size = settings.windowSize().toMillis();
            long advance = settings.windowAdvance().toMillis();
            for (long start = time - Math.floorMod(time, advance); start > time - size; start -= advance) {
                if (start + size < r.firstWindowEnd()) {
                    break;
                }
                String key = WindowKeys.window(start + size, r.modelId(), r.modelVersion(), r.segment());
                WindowBundle bundle = windows.get(key);
                if (bundle != null) {
                    BusinessPart.of(bundle).add(r);
                    JudgeScores.add(bundle, r, baselines);
                    finalRequests.add(bundle, r);
                    windows.put(key, bundle);
                }
            }
        }
    }

    /** The name a captured rate baseline is listed under in the command's result: ctrBaseline, conversionBaseline, ... */
    static String captureName(OutcomeRate rate) {
        return switch (rate) {
            case CTR -> "ctrBaseline";
            case CONVERSION -> "conversionBaseline";
            case NEGATIVE_FEEDBACK -> "negativeFeedbackBaseline";
            case SUCCESS -> "successBaseline";
        };
    }

    /** The CTR context of the window, which business alerts carry like the window's other alerts. */
    private static BusinessContext outcomesContext(BusinessMetrics m) {
        Double ctr = m.getCtr();
        Double baseline = m.getBaselineCtr();
        return BusinessContext.newBuilder().setCurrentCtr(ctr).setBaselineCtr(baseline)
                .setCtrDelta(ctr != null && baseline != null ? ctr - baseline : null).build();
    }

    /** The evaluating stage: BusinessMetrics, the outcomes' alerts and the window's CTR context. */
    private final class Evaluating implements Evaluator {
        private final BaselineLookup baselines;
        private final KeyValueStore<String, byte[]> alerts;

        Evaluating(BaselineLookup baselines, KeyValueStore<String, byte[]> alerts) {
            this.baselines = baselines;
            this.alerts = alerts;
        }

        /** The windows of outcomes no model version took: only their BusinessMetrics record. */
        @Override
        public boolean owns(WindowBundle window) {
            return UnattributedOutcomes.is(window);
        }

        @Override
        public Map<String, Baseline> capture(String model, String version, List<WindowBundle> windows, String source,
                                             Long fromMillis, Long toMillis, String commandId) {
            Map<String, Baseline> out = new java.util.LinkedHashMap<>();
            for (OutcomeRate rate : OutcomeRate.values()) {
                RateBaseline.fromWindows(rate, model, version, windows, source, fromMillis, toMillis, commandId)
                        .ifPresent(b -> out.put(captureName(rate), b));
            }
            return out;
        }

        /**
         * Evaluates the window's outcomes. The CTR context for the window's other alerts is set unless no request
         * of the window had its outcomes joined.
         */
        @Override
        public void evaluate(WindowBundle b, WindowOutput out) {
            if (!business.enabled()) {
                return;
            }
            BusinessPart part = (BusinessPart) b.part(BusinessPart.NAME);
            WindowOutcomes outcomes = WindowOutcomes.of(b, part, baselinesOf(b), business);
            out.record(WindowOutcomes.key(b), outcomes.metrics());
            String name = WindowKeys.shown(b, CtrBaseline.SUBJECT);
            if (outcomes.metrics().getCtr() != null) {
                // The latest CTR and its relative drop, as the statistic gauges (tests "ctr" and "rate").
                settings.metrics().statistic(b.modelId(), b.modelVersion(), name, "ctr", outcomes.metrics().getCtr());
            }
            if (outcomes.metrics().getCtrRelativeDrop() != null) {
                settings.metrics().statistic(b.modelId(), b.modelVersion(), name, "rate",
                        outcomes.metrics().getCtrRelativeDrop());
            }
            for (RateCheck r : outcomes.rates().subList(1, outcomes.rates().size())) {
                gauges(b, r.subject(), r.rate().subject().substring("business.".length()), r.value(), r.change(),
                        "rate");
            }
            MeanCheck value = outcomes.value();
            gauges(b, value.subject(), "mean", value.mean(), value.relativeDrop(), "mean");
            for (OutcomeVerdict v : outcomes.verdicts()) {
                if (v.tested()) {
                    step(b, out.policy(v.subject()), v, outcomes.metrics(), out);
                }
            }
            if (part != null && part.requests() > 0) {
                out.businessContext(outcomes.context());
            }
        }

        /** The window's value of an outcome and its relative change in the bad direction, as statistic gauges. */
        private void gauges(WindowBundle b, String subject, String valueName, Double value, Double change,
                            String changeName) {
            String name = WindowKeys.shown(b, subject);
            if (value != null) {
                settings.metrics().statistic(b.modelId(), b.modelVersion(), name, valueName, value);
            }
            if (change != null) {
                settings.metrics().statistic(b.modelId(), b.modelVersion(), name, changeName + "_change", change);
            }
        }

        private WindowOutcomes.Baselines baselinesOf(WindowBundle b) {
            Map<OutcomeRate, RateBaseline> rates = new java.util.EnumMap<>(OutcomeRate.class);
            for (OutcomeRate rate : OutcomeRate.values()) {
                baselines.find(b.modelId(), b.modelVersion(), rate.subject())
                        .flatMap(e -> RateBaseline.from(e.avro(), rate)).ifPresent(r -> rates.put(rate, r));
            }
            return new WindowOutcomes.Baselines(rates, numeric(b, MeanCheck.VALUE_SUBJECT),
                    numeric(b, JudgeScores.SUBJECT));
        }

        private NumericBaseline numeric(WindowBundle b, String subject) {
            return baselines.find(b.modelId(), b.modelVersion(), subject).map(BaselineLookup.Entry::numeric)
                    .orElse(null);
        }

        private void step(WindowBundle b, AlertPolicy policy, OutcomeVerdict check, BusinessMetrics metrics,
                          WindowOutput out) {
            Persistence persistence = policy.persistence();
            String subject = check.subject();
            String key = WindowKeys.alertState(b, subject);
            SubjectAlertState state = SubjectAlertState.fromBytes(alerts.get(key));
            Persistence.Step step = persistence.next(state.persistence(), check.severity());
            Severity severity = step.transition() == Transition.FIRING ? check.severity() : state.firingSeverity();
            alerts.put(key, (step.transition() == Transition.RESOLVED
                    ? new SubjectAlertState(step.state(), null, Severity.NONE)
                    : new SubjectAlertState(step.state(), null, severity))
                    .withOpenAlert(step.transition(), state, b, subject).toBytes());
            String name = WindowKeys.shown(b, subject);
            settings.metrics().alertState(b.modelId(), b.modelVersion(), name, step.state().isFiring(),
                    step.state().isFiring() ? severity.name() : Severity.NONE.name());
            if (step.transition() == Transition.NONE) {
                return;
            }
            MetricsReports.alert(settings.metrics(), b.modelId(), b.modelVersion(), step.transition(), severity);
            AlertState alertState = step.transition() == Transition.FIRING ? AlertState.FIRING : AlertState.RESOLVED;
            String summary = String.format(Locale.ROOT, "%s %s %s/%s %s: %s, window %s..%s", alertState,
                    severity, b.modelId(), b.modelVersion(), name, check.describe(),
                    Instant.ofEpochMilli(b.windowStart()), Instant.ofEpochMilli(b.windowEnd()));
            out.alert(subject, DriftAlert.newBuilder()
                    .setAlertId(WindowKeys.alertId(b, subject, alertState))
                    .setState(alertState)
                    .setSeverity(AlertFields.severity(severity))
                    .setTest(check.alertTest())
                    .setStatistic(check.statistic())
                    .setPValue(check.pValue())
                    .setAdjustedPValue(null)
                    .setThreshold(check.threshold())
                    .setWindowStart(Instant.ofEpochMilli(b.windowStart()))
                    .setWindowEnd(Instant.ofEpochMilli(b.windowEnd()))
                    .setCurrentSampleSize(check.currentSampleSize())
                    .setReferenceSampleSize(check.referenceSampleSize())
                    .setBaselineId(check.baselineId())
                    .setBaselineSource(check.baselineSource())
                    .setPolicyVersion(policy.version())
                    .setModelId(b.modelId())
                    .setModelVersion(b.modelVersion())
                    .setSubject(name)
                    .setSubjectKind(SubjectKind.BUSINESS)
                    .setWindowsOverThreshold(step.driftedWindows())
                    .setBusinessContext(outcomesContext(metrics))
                    .setSummary(summary)
                    .build());
        }
    }
}
