package dev.driftwatch.streams.app;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Topic;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.BusinessTopology;
import dev.driftwatch.streams.internals.BaselineCache;
import dev.driftwatch.streams.internals.BaselineLoader;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.ControlRouter;
import dev.driftwatch.streams.internals.EventSummarizer;
import dev.driftwatch.streams.internals.Partial;
import dev.driftwatch.streams.internals.PartialPartitioner;
import dev.driftwatch.streams.internals.Signal;
import dev.driftwatch.streams.internals.WindowEvaluator;
import dev.driftwatch.streams.internals.WindowParts;
import dev.driftwatch.streams.internals.WindowStateStore;
import dev.driftwatch.streams.review.ReviewSettings;
import dev.driftwatch.streams.roles.RoleJoin;
import dev.driftwatch.streams.roles.RoleSettings;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Builds the drift pipeline:
 *
 * <ol>
 *   <li><b>summarize-partition</b> (every input partition): decode and validate inference events,
 *       dead-letter what cannot be used, keep bounded window summaries per model version, and send
 *       closed windows' summaries downstream in steps, a hand-on mark after each and a watermark after the
 *       last;</li>
 *   <li><b>driftwatch-partials</b> repartition topic, keyed by model version; marks and watermarks go to
 *       every partition;</li>
 *   <li><b>evaluate-window</b>: merge the partitions' summaries, and once every partition's mark or
 *       watermark has passed a window, test it against the baselines and apply the policy: window statistics
 *       for every subject, alerts on state changes.</li>
 * </ol>
 *
 * Control commands ({@code driftwatch-control}) are read by <b>route-control</b>, which answers the
 * unreadable ones at once and keys the others like the windows of their model version (or for every
 * partition), and are merged into the partials so that the task that evaluates a model version applies
 * them to its own stores. Their results go to {@code driftwatch-control-results}; captured baselines go
 * to the baselines topic, from which the global store picks them up.
 *
 * A hot model is therefore not bound to one partition: its events are summarised wherever they land,
 * and only one summary per window and partition crosses the repartition topic.
 */
public final class DriftwatchTopology {
    private DriftwatchTopology() {
    }

    public static Topology build(PipelineSettings settings, Topics topics) {
        return build(settings, topics, ControlSettings.defaults());
    }

    public static Topology build(PipelineSettings settings, Topics topics, ControlSettings controlSettings) {
        return build(settings, topics, controlSettings, Storage.PERSISTENT);
    }

    public static Topology build(PipelineSettings settings, Topics topics, ControlSettings controlSettings,
                                 Storage storage) {
        return build(settings, topics, controlSettings, storage, WindowEvaluator.CHUNK_SUBJECTS);
    }

    /**
     * @param evaluationChunkSubjects subjects the evaluating stage evaluates per step before asking for a commit
     *                                ({@link WindowEvaluator#CHUNK_SUBJECTS} in the application);
     *                                {@code Integer.MAX_VALUE} also hands every closed window on at once: both
     *                                stages do everything without punctuations (a test driver whose wall clock
     *                                does not move)
     */
    public static Topology build(PipelineSettings settings, Topics topics, ControlSettings controlSettings,
                                 Storage storage, int evaluationChunkSubjects) {
        return build(settings, topics, controlSettings, storage, handoffSubjects(evaluationChunkSubjects),
                evaluationChunkSubjects);
    }

    /**
     * The summarizing stage's step beside an evaluating step of {@code evaluationChunkSubjects}: at once with an
     * evaluation at once, else {@link EventSummarizer#HANDOFF_SUBJECTS}.
     */
    public static int handoffSubjects(int evaluationChunkSubjects) {
        return evaluationChunkSubjects == Integer.MAX_VALUE ? Integer.MAX_VALUE : EventSummarizer.HANDOFF_SUBJECTS;
    }

    /**
     * @param handoffSubjects         subjects the summarizing stage hands on per step before asking for a commit
     *                                ({@link EventSummarizer#HANDOFF_SUBJECTS} in the application)
     * @param evaluationChunkSubjects subjects the evaluating stage evaluates per step before asking for a commit
     *                                ({@link WindowEvaluator#CHUNK_SUBJECTS} in the application)
     */
    public static Topology build(PipelineSettings settings, Topics topics, ControlSettings controlSettings,
                                 Storage storage, int handoffSubjects, int evaluationChunkSubjects) {
        Function<String, KeyValueBytesStoreSupplier> supplier =
                name -> storage == Storage.IN_MEMORY ? Stores.inMemoryKeyValueStore(name)
                        : Stores.persistentKeyValueStore(name);
        List<Signal> signals = SignalRegistry.signals(settings);
        WindowParts parts = WindowParts.of(signals);
        List<String> signalStores = SignalRegistry.evaluatorStores(signals);
        StreamsBuilder builder = new StreamsBuilder();
        // One instance's parsed baselines, shared by its tasks (a topology is built once per instance).
        BaselineCache baselineCache = BaselineCache.ofHeap();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(BaselineLookup.STORE), Serdes.String(),
                        Serdes.ByteArray()).withLoggingDisabled(),
                topics.baselines().name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("baselines-source"),
                () -> new BaselineLoader(topics.baselines().valueSerde().deserializer(), settings.metrics(),
                        baselineCache));

        builder.addStateStore(storage.logged(WindowStateStore.builder(supplier.apply(EventSummarizer.STORE), parts)));
        if (RoleSettings.of(settings.signals()).enabled()) {
            builder.addStateStore(storage.logged(RoleJoin.storeBuilder(supplier.apply(RoleJoin.STORE))));
        }
        builder.addStateStore(storage.logged(WindowStateStore.builder(supplier.apply(WindowEvaluator.WINDOWS_STORE), parts)));
        builder.addStateStore(storage.logged(Stores.keyValueStoreBuilder(
                supplier.apply(WindowEvaluator.WATERMARKS_STORE), Serdes.String(), Serdes.Long())
                .withCachingDisabled()));
        builder.addStateStore(storage.logged(Stores.keyValueStoreBuilder(supplier.apply(WindowEvaluator.ALERTS_STORE),
                Serdes.String(), Serdes.ByteArray()).withCachingDisabled()));
        List<String> byteStores = new ArrayList<>(List.of(WindowEvaluator.POLICIES_STORE,
                WindowEvaluator.COMMAND_LOG_STORE, WindowEvaluator.RETAINED_WINDOWS_STORE, WindowEvaluator.ALERT_LOG_STORE));
        byteStores.addAll(signalStores);
        for (String store : byteStores) {
            builder.addStateStore(storage.logged(Stores.keyValueStoreBuilder(supplier.apply(store),
                    Serdes.String(), Serdes.ByteArray()).withCachingDisabled()));
        }
        builder.addStateStore(storage.logged(Stores.keyValueStoreBuilder(supplier.apply(WindowEvaluator.MUTES_STORE),
                Serdes.String(), Serdes.Long()).withCachingDisabled()));

        KStream<byte[], byte[]> events = builder.stream(topics.events().name(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("inference-events-source"));

        Map<String, KStream<String, EventSummarizer.Output>> stageOne = events
                .process(() -> new EventSummarizer(settings, topics.events().valueSerde().deserializer(),
                        new BaselineLookup(topics.baselines(), baselineCache), signals, handoffSubjects),
                        Named.as("summarize-partition"),
                        BusinessTopology.summarizerStores(builder, settings, supplier, storage, RoleSettings.of(settings.signals()).enabled()
                                ? new String[] {EventSummarizer.STORE, RoleJoin.STORE}
                                : new String[] {EventSummarizer.STORE}))
                .split(Named.as("stage-one-"))
                .branch((k, v) -> v.deadLetter() != null, Branched.as("dead-letters"))
                .branch((k, v) -> v.review() != null, Branched.as("review"))
                .defaultBranch(Branched.as("partials"));
        if (ReviewSettings.of(settings.signals()).enabled()) {
            stageOne.get("stage-one-review")
                    .mapValues(EventSummarizer.Output::review, Named.as("review-value"))
                    .to(topics.review().name(), Produced.with(topics.review().keySerde(),
                            topics.review().valueSerde()).withName("review-sink"));
        }

        BusinessTopology.addOutcomes(builder, settings, topics);

        stageOne.get("stage-one-dead-letters")
                .mapValues(EventSummarizer.Output::deadLetter, Named.as("dead-letter-value"))
                .to(topics.deadLetters().name(), Produced.with(topics.deadLetters().keySerde(),
                        topics.deadLetters().valueSerde()).withName("dead-letters-sink"));

        Map<String, KStream<String, ControlRouter.Output>> control = builder.stream(topics.control().name(),
                        Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("control-source"))
                .process(() -> new ControlRouter(settings, topics.control().valueSerde().deserializer()),
                        Named.as("route-control"))
                .split(Named.as("control-"))
                .branch((k, v) -> v.result() != null, Branched.as("rejected"))
                .defaultBranch(Branched.as("commands"));
        KStream<String, Partial> commands = control.get("control-commands")
                .mapValues(ControlRouter.Output::partial, Named.as("command-value"));
        KStream<String, ControlResult> controlResults = control.get("control-rejected")
                .mapValues(ControlRouter.Output::result, Named.as("rejection-value"));

        Map<String, KStream<String, WindowEvaluator.Output>> stageTwo = stageOne.get("stage-one-partials")
                .mapValues(EventSummarizer.Output::partial, Named.as("partial-value"))
                .merge(commands, Named.as("partials-and-commands"))
                .repartition(Repartitioned.with(Serdes.String(), Partial.serde(parts))
                        .withName("driftwatch-partials")
                        .withStreamPartitioner(new PartialPartitioner()))
                .process(() -> new WindowEvaluator(settings,
                        new BaselineLookup(topics.baselines(), baselineCache), controlSettings, signals,
                        evaluationChunkSubjects),
                        Named.as("evaluate-window"), evaluatorStores(signalStores))
                .split(Named.as("stage-two-"))
                .branch((k, v) -> v.result() != null, Branched.as("control-results"))
                .branch((k, v) -> v.baseline() != null, Branched.as("captured-baselines"))
                .branch((k, v) -> v.alert() != null, Branched.as("alerts"))
                .branch((k, v) -> v.signal() != null, Branched.as("signals"))
                .defaultBranch(Branched.as("window-stats"));
        signalSinks(stageTwo.get("stage-two-signals"), settings, topics);

        stageTwo.get("stage-two-alerts")
                .mapValues(WindowEvaluator.Output::alert, Named.as("alert-value"))
                .to(topics.alerts().name(), Produced.with(topics.alerts().keySerde(), topics.alerts().valueSerde())
                        .withName("alerts-sink"));
        stageTwo.get("stage-two-window-stats")
                .mapValues(WindowEvaluator.Output::stats, Named.as("window-stats-value"))
                .to(topics.windowStats().name(), Produced.with(topics.windowStats().keySerde(),
                        topics.windowStats().valueSerde()).withName("window-stats-sink"));

        stageTwo.get("stage-two-control-results")
                .mapValues(WindowEvaluator.Output::result, Named.as("control-result-value"))
                .merge(controlResults, Named.as("control-results"))
                .to(topics.controlResults().name(), Produced.with(topics.controlResults().keySerde(),
                        topics.controlResults().valueSerde()).withName("control-results-sink"));
        stageTwo.get("stage-two-captured-baselines")
                .mapValues(WindowEvaluator.Output::baseline, Named.as("captured-baseline-value"))
                .to(topics.baselines().name(), Produced.with(topics.baselines().keySerde(),
                        topics.baselines().valueSerde()).withName("captured-baselines-sink"));
        return builder.build();
    }

    /** The evaluating processor's stores: its own, then the signals'. */
    private static String[] evaluatorStores(List<String> signalStores) {
        List<String> stores = new ArrayList<>(List.of(WindowEvaluator.STORES));
        stores.addAll(signalStores);
        return stores.toArray(new String[0]);
    }

    /** Each other signal's records go to the topic of their type, for the signals that are enabled. */
    private static void signalSinks(KStream<String, WindowEvaluator.Output> signals, PipelineSettings settings,
                                    Topics topics) {
        Signals enabled = settings.signals();
        if (BusinessSettings.of(enabled).enabled()) {
            signalSink(signals, BusinessMetrics.class, topics.businessMetrics(), "business-metrics");
        }
        if (ServiceLevelSettings.of(enabled).enabled()) {
            signalSink(signals, ServiceLevels.class, topics.serviceLevels(), "service-levels");
        }
        if (RoleSettings.of(enabled).enabled()) {
            signalSink(signals, RoleComparison.class, topics.roleComparisons(), "role-comparisons");
        }
    }

    private static <V extends SpecificRecord> void signalSink(KStream<String, WindowEvaluator.Output> signals,
                                                              Class<V> type, Topic<String, V> topic, String name) {
        signals.filter((k, v) -> type.isInstance(v.signal()), Named.as(name + "-filter"))
                .mapValues(v -> type.cast(v.signal()), Named.as(name + "-value"))
                .to(topic.name(), Produced.with(topic.keySerde(), topic.valueSerde()).withName(name + "-sink"));
    }
}
