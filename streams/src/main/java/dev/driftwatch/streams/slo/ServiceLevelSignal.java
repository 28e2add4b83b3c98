package dev.driftwatch.streams.slo;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.OutcomeRate;
import dev.driftwatch.streams.business.RateBaseline;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowPart;

import java.util.List;
import java.util.Map;

/**
 * Service levels (when {@code slo.enabled}): every valid event adds its call to the {@link ServiceLevelPart}
 * of its windows; each merged window gives its {@code ServiceLevels} record and the objectives' burn-rate
 * alerts ({@link ServiceLevelJudge}), whose histories live in the store {@value ServiceLevelJudge#STORE}.
 */
public final class ServiceLevelSignal implements Signal {
    private final PipelineSettings settings;

    public ServiceLevelSignal(PipelineSettings settings) {
        this.settings = settings;
    }

    @Override
    public Map<String, WindowPart.Reader> parts() {
        return Map.of(ServiceLevelPart.NAME, ServiceLevelPart::read);
    }

    /** The store is connected whether service levels are on or not, so that turning them on changes no topology. */
    @Override
    public List<String> evaluatorStores() {
        return List.of(ServiceLevelJudge.STORE);
    }

    @Override
    public Observer observer(ObserverContext context) {
        if (!ServiceLevelSettings.of(settings.signals()).enabled()) {
            return null;
        }
        return new Observer() {
            @Override
            public void add(WindowBundle window, InferenceEvent event) {
                ServiceLevelPart.add(window, event, settings);
            }
        };
    }

    @Override
    public Evaluator evaluator(EvaluatorContext context) {
        ServiceLevelJudge judge = new ServiceLevelJudge(settings,
                context.processor().getStateStore(ServiceLevelJudge.STORE));
        BaselineLookup baselines = context.baselines();
        return (window, out) -> {
            CtrBaseline ctrBaseline = baselines.find(window.modelId(), window.modelVersion(), CtrBaseline.SUBJECT)
                    .flatMap(e -> CtrBaseline.from(e.avro())).orElse(null);
            RateBaseline conversionBaseline = baselines.find(window.modelId(), window.modelVersion(),
                    OutcomeRate.CONVERSION.subject()).flatMap(e -> RateBaseline.from(e.avro(), OutcomeRate.CONVERSION))
                    .orElse(null);
            judge.judge(window, ctrBaseline, conversionBaseline).ifPresent(r -> {
                out.record(r.key(), r.levels());
                r.alerts().forEach(a -> out.alert(a.subject(), a.alert()));
            });
        };
    }
}
