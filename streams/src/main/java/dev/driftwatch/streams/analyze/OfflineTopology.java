package dev.driftwatch.streams.analyze;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.Topic;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.app.SignalRegistry;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.OutcomeReader;
import dev.driftwatch.streams.internals.BaselineCache;
import dev.driftwatch.streams.internals.BaselineLoader;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.EventSummarizer;
import dev.driftwatch.streams.internals.Partial;
import dev.driftwatch.streams.internals.PartialPartitioner;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.WindowEvaluator;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowParts;
import dev.driftwatch.streams.internals.WindowStateStore;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.state.Stores;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The pipeline's processors run in this thread over one input partition, without Kafka Streams' runtime: the
 * global baselines store's loader, <b>summarize-partition</b> (and <b>join-outcomes</b> when business outcomes
 * are on), the <b>driftwatch-partials</b> repartition by {@link PartialPartitioner}, and <b>evaluate-window</b>,
 * each on the stores the topology connects to it (read from {@link DriftwatchTopology}'s description, under the
 * same names), kept on the heap ({@link HeapStore}, and {@link WindowStateStore} without a changelog).
 *
 * <p>A record goes through the stages as Kafka Streams' test driver takes it: the summarizing stage (a
 * sub-topology) processes it whole, then the partials it sent on are processed by the evaluating stage, in order.
 * An event is handed to the summarizing stage as the object its deserializer returns: the reader decoded it from
 * the file already, and encoding it in the topic's format only for the stage to decode it again cost as much as
 * summarising it; the values are the same (the dead letter of a refused event gets the event's encoded bytes, as
 * live). Records cross the repartition topic serialised, as they do live; what analyze reports (window statistics,
 * alerts, dead letters, business metrics, service levels) is serialised and read back with the topics' serdes, so
 * that it is what a consumer of those topics reads. The outputs of the other topics (review copies, role
 * comparisons, control results) are dropped; a captured baseline goes to the baselines store, as the global store
 * would read it from its topic. Nothing else is kept: the cost per event is the processors' own.
 */
final class OfflineTopology {
    static final String SUMMARIZE = "summarize-partition";
    static final String JOIN_OUTCOMES = "join-outcomes";
    static final String EVALUATE = "evaluate-window";
    static final String PARTIALS = "driftwatch-partials";

    /** What analyze reports, in the order the pipeline wrote it. */
    final List<WindowStats> stats = new ArrayList<>();
    final List<DriftAlert> alerts = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    final List<BusinessMetrics> business = new ArrayList<>();
    final List<ServiceLevels> serviceLevels = new ArrayList<>();

    private final Topics topics;
    /** Sees each window state the summarizing stage closes, as the evaluating stage receives it. */
    private final Consumer<WindowBundle> closedWindows;
    private final String partialsTopic;
    private final Serde<Partial> partialSerde;
    private final boolean businessSink;
    private final boolean serviceLevelSink;
    private final Map<String, StateStore> stores = new HashMap<>();
    private final List<WindowStateStore> windowStores = new ArrayList<>();

    private final BaselineLoader loader;
    private final StageContext<Void, Void> loaderContext;
    private final EventSummarizer summarizer;
    private final StageContext<String, EventSummarizer.Output> summarizerContext;
    private final OutcomeReader outcomeReader;
    private final StageContext<String, DeadLetter> outcomeContext;
    private final WindowEvaluator evaluator;
    private final StageContext<String, WindowEvaluator.Output> evaluatorContext;
    /** The partials the summarizing stage sent on while processing the current record. */
    private final ArrayDeque<Record<String, Partial>> partials = new ArrayDeque<>();
    /** The value of an event record: the event itself is handed over ({@link #handedOver}). */
    private static final byte[] HANDED_OVER = new byte[0];
    /** The event being summarised, which the summarizing stage's deserializer returns. */
    private InferenceEvent handedOver;
    private long baselineOffset;
    private long eventOffset;
    private long outcomeOffset;
    private long partialOffset;

    /**
     * @param settings one input partition
     */
    OfflineTopology(PipelineSettings settings, Topics topics) {
        this(settings, topics, w -> { });
    }

    /**
     * @param settings      one input partition
     * @param closedWindows sees each window state that the summarizing stage closes, read back from the
     *                      repartition topic's bytes, before the evaluating stage merges it (it must not keep it)
     */
    OfflineTopology(PipelineSettings settings, Topics topics, Consumer<WindowBundle> closedWindows) {
        this.topics = topics;
        this.closedWindows = closedWindows;
        this.partialsTopic = settings.applicationId() + "-" + PARTIALS + "-repartition";
        List<Signal> signals = SignalRegistry.signals(settings);
        this.partialSerde = Partial.serde(WindowParts.of(signals));
        this.businessSink = BusinessSettings.of(settings.signals()).enabled();
        this.serviceLevelSink = ServiceLevelSettings.of(settings.signals()).enabled();
        Map<String, Set<String>> connected = storesByProcessor(DriftwatchTopology.build(settings, topics,
                ControlSettings.defaults(), Storage.IN_MEMORY).describe());
        WindowParts parts = WindowParts.of(signals);
        StateStoreContext storeContext = new MockProcessorContext<>().getStateStoreContext();
        long wallClock = System.currentTimeMillis();
        TaskId one = new TaskId(0, 0);
        TaskId two = new TaskId(1, 0);

        // One cache of parsed baselines for both stages, as the live topology has per instance.
        BaselineCache baselineCache = BaselineCache.ofHeap();
        loader = new BaselineLoader(topics.baselines().valueSerde().deserializer(), settings.metrics(), baselineCache);
        loaderContext = new StageContext<>(settings.applicationId(), one,
                stores(Set.of(BaselineLookup.STORE), parts, storeContext), wallClock, r -> { });

        summarizer = new EventSummarizer(settings, (topic, bytes) -> handedOver,
                new BaselineLookup(topics.baselines(), baselineCache), signals);
        summarizerContext = new StageContext<>(settings.applicationId(), one,
                stores(withBaselines(connected, SUMMARIZE), parts, storeContext), wallClock,
                this::summarized);
        if (connected.containsKey(JOIN_OUTCOMES)) {
            outcomeReader = new OutcomeReader(settings, topics.outcomes().valueSerde().deserializer());
            outcomeContext = new StageContext<>(settings.applicationId(), one,
                    stores(connected.get(JOIN_OUTCOMES), parts, storeContext), wallClock,
                    r -> deadLetters.add(readBack(topics.deadLetters(), r.value())));
        } else {
            outcomeReader = null;
            outcomeContext = null;
        }
        evaluator = new WindowEvaluator(settings, new BaselineLookup(topics.baselines(), baselineCache),
                ControlSettings.defaults(),
                signals);
        evaluatorContext = new StageContext<>(settings.applicationId(), two,
                stores(withBaselines(connected, EVALUATE), parts, storeContext), wallClock,
                this::evaluated);

        loader.init(loaderContext);
        summarizer.init(summarizerContext);
        if (outcomeReader != null) {
            outcomeReader.init(outcomeContext);
        }
        evaluator.init(evaluatorContext);
    }

    /** A record of the baselines topic, for the global store. */
    void baseline(byte[] key, byte[] value, long time) {
        loaderContext.at(topics.baselines().name(), baselineOffset++);
        loader.process(new Record<>(key, value, time));
    }

    /**
     * A record of the inference-events topic, keyed by its request id: the event is handed to the summarizing
     * stage as what its deserializer read (see the class comment).
     */
    void event(InferenceEvent event, long time) {
        summarizerContext.at(topics.events().name(), eventOffset++);
        handedOver = event;
        String requestId = event.getRequestId();
        summarizer.process(new Record<>(requestId == null ? null : requestId.getBytes(StandardCharsets.UTF_8),
                HANDED_OVER, time));
        handedOver = null;
        evaluatePartials();
    }

    /** A record of the outcome-events topic (dropped unless business outcomes are on, as the topology drops it). */
    void outcome(byte[] key, byte[] value, long time) {
        if (outcomeReader == null) {
            return;
        }
        outcomeContext.at(topics.outcomes().name(), outcomeOffset++);
        outcomeReader.process(new Record<>(key, value, time));
        evaluatePartials();
    }

    /** What a commit does to the window stores without changelog: forgets which windows changed. */
    void commit() {
        windowStores.forEach(WindowStateStore::flushCache);
    }

    private void summarized(Record<String, EventSummarizer.Output> record) {
        EventSummarizer.Output out = record.value();
        if (out.deadLetter() != null) {
            deadLetters.add(readBack(topics.deadLetters(), withEventBytes(out.deadLetter())));
        } else if (out.review() == null) {
            // One input partition and so one partition of the repartition topic: the partitioner's choice is 0.
            byte[] bytes = partialSerde.serializer().serialize(partialsTopic, out.partial());
            Partial partial = partialSerde.deserializer().deserialize(partialsTopic, bytes);
            if (partial != null && partial.bundle() != null) {
                closedWindows.accept(partial.bundle());
            }
            partials.add(new Record<>(record.key(), partial, record.timestamp()));
        }
    }

    private void evaluatePartials() {
        for (Record<String, Partial> r; (r = partials.poll()) != null; ) {
            evaluatorContext.at(partialsTopic, partialOffset++);
            evaluator.process(r);
        }
    }

    private void evaluated(Record<String, WindowEvaluator.Output> record) {
        WindowEvaluator.Output out = record.value();
        if (out.result() != null) {
            return; // control results: analyze sends no commands
        }
        if (out.baseline() != null) {
            Topic<String, Baseline> t = topics.baselines();
            baseline(t.keySerde().serializer().serialize(t.name(), record.key()),
                    t.valueSerde().serializer().serialize(t.name(), out.baseline()), record.timestamp());
        } else if (out.alert() != null) {
            alerts.add(readBack(topics.alerts(), out.alert()));
        } else if (out.signal() != null) {
            if (businessSink && out.signal() instanceof BusinessMetrics m) {
                business.add(readBack(topics.businessMetrics(), m));
            } else if (serviceLevelSink && out.signal() instanceof ServiceLevels l) {
                serviceLevels.add(readBack(topics.serviceLevels(), l));
            }
        } else {
            stats.add(readBack(topics.windowStats(), out.stats()));
        }
    }

    /** A dead letter of the event handed over, with the event's bytes as the topic carries them. */
    private DeadLetter withEventBytes(DeadLetter letter) {
        ByteBuffer value = letter.getOriginalValue();
        // The record's value was the empty array that stands for the event (the dead letter holds a copy of it).
        if (handedOver == null || value == null || value.remaining() != HANDED_OVER.length) {
            return letter;
        }
        byte[] bytes;
        try {
            bytes = topics.events().valueSerde().serializer().serialize(topics.events().name(), handedOver);
        } catch (RuntimeException e) {
            bytes = null; // an event that cannot be written (a field missing): no bytes, as for a tombstone
        }
        return DeadLetter.newBuilder(letter).setOriginalValue(bytes == null ? null : ByteBuffer.wrap(bytes)).build();
    }

    /** The value as a consumer of the topic reads it. */
    private static <V> V readBack(Topic<String, V> topic, V value) {
        return topic.valueSerde().deserializer().deserialize(topic.name(),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    /** The stores by name, each created once and shared by the processors connected to it. */
    private Map<String, StateStore> stores(Set<String> names, WindowParts parts, StateStoreContext context) {
        Map<String, StateStore> byName = new HashMap<>();
        for (String name : names) {
            byName.put(name, stores.computeIfAbsent(name, n -> {
                if (n.equals(EventSummarizer.STORE) || n.equals(WindowEvaluator.WINDOWS_STORE)) {
                    WindowStateStore s = WindowStateStore.builder(Stores.inMemoryKeyValueStore(n), parts)
                            .withLoggingDisabled().build();
                    s.init(context, s);
                    windowStores.add(s);
                    return s;
                }
                return new HeapStore<>(n);
            }));
        }
        return byName;
    }

    /** The stores of a processor of the topology, with the global store its baseline look-ups read. */
    private static Set<String> withBaselines(Map<String, Set<String>> connected, String processor) {
        Set<String> names = connected.get(processor);
        if (names == null) {
            throw new IllegalStateException("the topology has no processor " + processor);
        }
        Set<String> all = new HashSet<>(names);
        all.add(BaselineLookup.STORE);
        return all;
    }

    private static Map<String, Set<String>> storesByProcessor(TopologyDescription description) {
        Map<String, Set<String>> stores = new HashMap<>();
        for (TopologyDescription.Subtopology s : description.subtopologies()) {
            for (TopologyDescription.Node node : s.nodes()) {
                if (node instanceof TopologyDescription.Processor p) {
                    stores.put(p.name(), p.stores());
                }
            }
        }
        return stores;
    }
}
