package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topic;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.internals.BaselineCodec;
import org.apache.kafka.common.serialization.Serdes;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The pipeline's processors run without a broker ({@link OfflineTopology}: one input partition, the stores on
 * the heap, an in-memory registry) over a finite sequence of events: the same code, so the same window
 * statistics and alerts, with the same ids, as the live pipeline on the same traffic.
 *
 * <p>After the last event, one closing event of a reserved model id ({@link #CLOSING_MODEL}) at the
 * last event time + window size + grace + 1 ms moves stream time past every window, so that they all
 * close. The closing event opens a later window of its own that never closes, so it is not counted in
 * any reported window.
 *
 * <p>Memory holds the open windows and the results (window statistics, alerts, histograms: they grow with
 * the number of windows, not of events): the stores have no changelog, the records of the topics that are
 * not reported are dropped as they come, the source is read on a thread of its own through a bounded queue
 * ({@link EventPipe}), and outcomes are read one ahead of the events.
 */
public final class OfflineAnalysis {
    /** Model id of the closing event. */
    public static final String CLOSING_MODEL = "*driftwatch-closing*";
    /** Events between two commits (the window stores then forget which windows changed). */
    private static final int COMMIT_EVERY = 10_000;

    /**
     * What the pipeline said.
     *
     * @param settings    the settings it ran with
     * @param baselines   the baselines it compared against
     * @param events      events piped in (the closing event not included)
     * @param stats       every window's statistics, in the order the pipeline emitted them
     * @param alerts      every alert, in order
     * @param deadLetters events the pipeline refused, with the reason
     * @param histograms  bin counts of each window, for the report
     * @param serviceLevels every window's service-level indicators (empty unless slo.enabled)
     * @param business    each window's business metrics (CTR; empty unless business outcomes are enabled)
     */
    public record Result(PipelineSettings settings, List<Baseline> baselines, long events, List<WindowStats> stats,
                         List<DriftAlert> alerts, List<DeadLetter> deadLetters, WindowHistograms histograms,
                         List<ServiceLevels> serviceLevels, List<BusinessMetrics> business) {
        /** A result without service levels or business metrics. */
        public Result(PipelineSettings settings, List<Baseline> baselines, long events, List<WindowStats> stats,
                      List<DriftAlert> alerts, List<DeadLetter> deadLetters, WindowHistograms histograms) {
            this(settings, baselines, events, stats, alerts, deadLetters, histograms, List.of(), List.of());
        }
    }

    private OfflineAnalysis() {
    }

    /**
     * Runs the topology over the events that {@code source} hands to its consumer, in that order.
     *
     * @param settings one input partition is used whatever {@code settings.inputPartitions()} says
     */
    public static Result run(PipelineSettings settings, List<Baseline> baselines,
                             Consumer<Consumer<InferenceEvent>> source) {
        return run(settings, baselines, List.of(), source);
    }

    /**
     * Runs the topology over the events that {@code source} hands to its consumer, in that order, with
     * outcome events (when {@code settings} enable business outcomes): each outcome is piped just before
     * the first event later than it, as a live pipeline would read them in timestamp order.
     *
     * @param outcomes outcome events, in any order (they are sorted by event time, stably)
     */
    public static Result run(PipelineSettings settings, List<Baseline> baselines, List<OutcomeEvent> outcomes,
                             Consumer<Consumer<InferenceEvent>> source) {
        List<OutcomeEvent> sorted = new ArrayList<>(outcomes);
        sorted.sort(Comparator.comparing(OutcomeEvent::getEventTime));
        return run(settings, baselines, sorted.iterator(), source);
    }

    /**
     * Runs the topology over the events that {@code source} hands to its consumer, in that order, with
     * outcome events read as they are needed (when {@code settings} enable business outcomes): each outcome
     * is piped just before the first event later than it, as a live pipeline would read them in timestamp
     * order. Only the next outcome is held.
     *
     * @param outcomes outcome events in the order of their event times
     */
    public static Result run(PipelineSettings settings, List<Baseline> baselines, Iterator<OutcomeEvent> outcomes,
                             Consumer<Consumer<InferenceEvent>> source) {
        PipelineSettings one = settings.withInputPartitions(1);
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://analyze-" + UUID.randomUUID()));
        WindowHistograms histograms = new WindowHistograms(baselines);
        OfflineTopology topology = new OfflineTopology(one, topics, histograms::add);
        Outcomes pending = new Outcomes(BusinessSettings.of(one.signals()).enabled() ? outcomes
                : Collections.emptyIterator(), topics.outcomes(), topology);
        long count = 0;
        long maxTime = Long.MIN_VALUE;
        Topic<String, Baseline> baselineTopic = topics.baselines();
        for (Baseline b : baselines) {
            String key = BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature());
            topology.baseline(baselineTopic.keySerde().serializer().serialize(baselineTopic.name(), key),
                    baselineTopic.valueSerde().serializer().serialize(baselineTopic.name(), b), 0);
        }
        try (EventPipe pipe = new EventPipe(source)) {
            for (List<EventPipe.Piped> batch; (batch = pipe.next()) != null; ) {
                for (EventPipe.Piped e : batch) {
                    pending.upTo(e.time());
                    topology.event(e.event(), e.time());
                    count++;
                    maxTime = Math.max(maxTime, e.time());
                    if (count % COMMIT_EVERY == 0) {
                        topology.commit();
                    }
                }
            }
        }
        pending.upTo(Long.MAX_VALUE);
        if (count > 0) {
            long closing = maxTime + one.windowSize().toMillis() + one.grace().toMillis()
                    + BusinessSettings.of(one.signals()).closeDelayMs() + 1;
            topology.event(closingEvent(closing), closing);
        }
        topology.commit();
        return new Result(one, List.copyOf(baselines), count, topology.stats, topology.alerts, topology.deadLetters,
                histograms, topology.serviceLevels, topology.business);
    }

    /** The outcomes not piped yet, in time order; only the next one is read ahead. */
    private static final class Outcomes {
        private final Iterator<OutcomeEvent> source;
        private final Topic<String, OutcomeEvent> topic;
        private final OfflineTopology topology;
        private OutcomeEvent next;

        Outcomes(Iterator<OutcomeEvent> source, Topic<String, OutcomeEvent> topic, OfflineTopology topology) {
            this.source = source;
            this.topic = topic;
            this.topology = topology;
            this.next = source.hasNext() ? source.next() : null;
        }

        /** Pipes the outcomes at or before {@code time}. */
        void upTo(long time) {
            while (next != null && next.getEventTime().toEpochMilli() <= time) {
                OutcomeEvent o = next;
                next = source.hasNext() ? source.next() : null;
                topology.outcome(topic.keySerde().serializer().serialize(topic.name(), o.getRequestId()),
                        topic.valueSerde().serializer().serialize(topic.name(), o), o.getEventTime().toEpochMilli());
            }
        }
    }

    /** The closing event at {@code time}: a reserved model id, no features. */
    public static InferenceEvent closingEvent(long time) {
        return InferenceEvent.newBuilder()
                .setEventId("driftwatch-closing-" + time)
                .setRequestId("driftwatch-closing-" + time)
                .setModelId(CLOSING_MODEL)
                .setModelVersion("0")
                .setRole(DeploymentRole.PRIMARY)
                .setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(Map.of())
                .setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().setScore(null).setLabel(null).setConfidence(null).build())
                .setLatencyMs(null)
                .setTokensIn(null)
                .setTokensOut(null)
                .setCost(null)
                .setErrorCode(null)
                .setSegment(Map.of())
                .build();
    }
}
