package dev.driftwatch.streams.app;

import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.business.BusinessSignal;
import dev.driftwatch.streams.drift.DriftSignal;
import dev.driftwatch.streams.embedding.EmbeddingSignal;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.multivariate.MultivariateSignal;
import dev.driftwatch.streams.performance.LabelSignal;
import dev.driftwatch.streams.performance.PerformanceSignal;
import dev.driftwatch.streams.quality.QualitySignal;
import dev.driftwatch.streams.review.ReviewSignal;
import dev.driftwatch.streams.roles.RoleSignal;
import dev.driftwatch.streams.slo.ServiceLevelSignal;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that names the signals the pipeline runs. Each reads its own settings from
 * {@link PipelineSettings#signals()} and does nothing when it is off; all are registered either way, so that
 * the topology (its stores and processors) does not depend on which are on.
 *
 * <p>The order is the order in which the stages call them, and so the order of a window's alerts: the
 * business outcomes first (their CTR context goes on the window's other alerts), then drift, data quality,
 * embeddings, service levels, review copies, deployment roles, multivariate drift, model performance
 * and performance against labels (both get the requests the business signal hands over as they become final).
 */
public final class SignalRegistry {
    private SignalRegistry() {
    }

    /** The signals, in the order the stages call them. */
    public static List<Signal> signals(PipelineSettings settings) {
        PerformanceSignal performance = new PerformanceSignal(settings);
        LabelSignal labels = new LabelSignal(settings);
        BusinessSignal.FinalRequests finished = (window, request) -> {
            performance.finished(window, request);
            labels.finished(window, request);
        };
        return List.of(new BusinessSignal(settings, finished), new DriftSignal(),
                new QualitySignal(settings), new EmbeddingSignal(settings), new ServiceLevelSignal(settings),
                new ReviewSignal(settings), new RoleSignal(settings), new MultivariateSignal(settings), performance,
                labels);
    }

    /** The evaluating stage's stores that the signals use, in their order. */
    public static List<String> evaluatorStores(List<Signal> signals) {
        List<String> stores = new ArrayList<>();
        signals.forEach(s -> stores.addAll(s.evaluatorStores()));
        return stores;
    }
}
