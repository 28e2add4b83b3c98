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
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The pipeline's topology run without a broker (Kafka Streams' {@code TopologyTestDriver}, one input
 * partition, an in-memory registry) over a finite sequence of events: the same code, so the same
 * window statistics and alerts, with the same ids, as the live pipeline on the same traffic.
 *
 * <p>After the last event, one closing event of a reserved model id ({@link #CLOSING_MODEL}) at the
 * last event time + window size + grace + 1 ms moves stream time past every window, so that they all
 * close. The closing event opens a later window of its own that never closes, so it is not counted in
 * any reported window.
 *
 * <p>Memory holds the open windows and the results (window statistics, alerts, histograms: they grow with
 * the number of windows, not of events): the stores have no changelog, the records of the topics that are
 * not reported are dropped as they come, and the source is read on a thread of its own through a bounded
 * queue ({@link EventPipe}).
 */
public final class OfflineAnalysis {
    /** Model id of the closing event. */
    public static final String CLOSING_MODEL = "*driftwatch-closing*";

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
        int[] nextOutcome = {0};
        List<BusinessMetrics> business = new ArrayList<>();
        PipelineSettings one = settings.withInputPartitions(1);
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://analyze-" + UUID.randomUUID()));
        Path stateDir = tempDir();
        WindowHistograms histograms = new WindowHistograms(one, baselines);
        List<WindowStats> stats = new ArrayList<>();
        List<DriftAlert> alerts = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        List<ServiceLevels> serviceLevels = new ArrayList<>();
        long[] count = {0};
        long[] maxTime = {Long.MIN_VALUE};
        try (TopologyTestDriver driver = driver(one, topics, stateDir)) {
            TestInputTopic<String, Baseline> baselineTopic = driver.createInputTopic(topics.baselines().name(),
                    Serdes.String().serializer(), topics.baselines().valueSerde().serializer());
            // Events go in as the bytes the reading thread wrote, as a live pipeline's consumer hands them over.
            TestInputTopic<byte[], byte[]> events = driver.createInputTopic(topics.events().name(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<String, WindowStats> statsTopic = driver.createOutputTopic(topics.windowStats().name(),
                    Serdes.String().deserializer(), topics.windowStats().valueSerde().deserializer());
            TestOutputTopic<String, DriftAlert> alertTopic = driver.createOutputTopic(topics.alerts().name(),
                    Serdes.String().deserializer(), topics.alerts().valueSerde().deserializer());
            TestOutputTopic<String, DeadLetter> dlqTopic = driver.createOutputTopic(topics.deadLetters().name(),
                    Serdes.String().deserializer(), topics.deadLetters().valueSerde().deserializer());
            TestInputTopic<String, OutcomeEvent> outcomeTopic = driver.createInputTopic(topics.outcomes().name(),
                    Serdes.String().serializer(), topics.outcomes().valueSerde().serializer());
            TestOutputTopic<String, BusinessMetrics> businessTopic = driver.createOutputTopic(
                    topics.businessMetrics().name(), Serdes.String().deserializer(),
                    topics.businessMetrics().valueSerde().deserializer());
            boolean joinOutcomes = BusinessSettings.of(one.signals()).enabled();
            TestOutputTopic<String, ServiceLevels> levelsTopic = driver.createOutputTopic(topics.serviceLevels().name(),
                    Serdes.String().deserializer(), topics.serviceLevels().valueSerde().deserializer());
            UnreadTopics unread = new UnreadTopics(driver, Set.of(topics.windowStats().name(), topics.alerts().name(),
                    topics.deadLetters().name(), topics.businessMetrics().name(), topics.serviceLevels().name()));
            // What the pipeline wrote so far goes to the results; the rest is dropped.
            Runnable collect = () -> {
                stats.addAll(statsTopic.readValuesToList());
                alerts.addAll(alertTopic.readValuesToList());
                deadLetters.addAll(dlqTopic.readValuesToList());
                business.addAll(businessTopic.readValuesToList());
                drainServiceLevels(one, levelsTopic, serviceLevels);
                unread.drop();
            };
            for (Baseline b : baselines) {
                baselineTopic.pipeInput(BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature()), b,
                        Instant.EPOCH);
            }
            try (EventPipe pipe = new EventPipe(source, histograms::add, topics.events().name(),
                    Serdes.String().serializer(), topics.events().valueSerde().serializer())) {
                for (List<EventPipe.Piped> batch; (batch = pipe.next()) != null; ) {
                    for (EventPipe.Piped e : batch) {
                        while (joinOutcomes && nextOutcome[0] < sorted.size()
                                && sorted.get(nextOutcome[0]).getEventTime().toEpochMilli() <= e.time()) {
                            OutcomeEvent o = sorted.get(nextOutcome[0]++);
                            outcomeTopic.pipeInput(o.getRequestId(), o, o.getEventTime());
                        }
                        events.pipeInput(e.key(), e.value(), e.time());
                        count[0]++;
                        maxTime[0] = Math.max(maxTime[0], e.time());
                        if (count[0] % 10_000 == 0) {
                            collect.run();
                        }
                    }
                }
            }
            while (joinOutcomes && nextOutcome[0] < sorted.size()) {
                OutcomeEvent o = sorted.get(nextOutcome[0]++);
                outcomeTopic.pipeInput(o.getRequestId(), o, o.getEventTime());
            }
            if (count[0] > 0) {
                long closing = maxTime[0] + one.windowSize().toMillis() + one.grace().toMillis()
                        + BusinessSettings.of(one.signals()).closeDelayMs() + 1;
                InferenceEvent close = closingEvent(closing);
                String topic = topics.events().name();
                events.pipeInput(Serdes.String().serializer().serialize(topic, close.getRequestId()),
                        topics.events().valueSerde().serializer().serialize(topic, close), closing);
            }
            collect.run();
        } finally {
            deleteQuietly(stateDir);
        }
        return new Result(one, List.copyOf(baselines), count[0], stats, alerts, deadLetters, histograms,
                serviceLevels, business);
    }

    /**
     * The pipeline's topology on Kafka Streams' test driver, its stores on the heap without changelogs
     * ({@link Storage#IN_MEMORY}).
     *
     * @param settings one input partition
     */
    static TopologyTestDriver driver(PipelineSettings settings, Topics topics, Path stateDir) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "offline:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        // The driver processes one record at a time on one thread: at_least_once gives the same results,
        // and exactly_once would flush every store after every record.
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.MAX_VALUE);
        return new TopologyTestDriver(DriftwatchTopology.build(settings, topics,
                ControlSettings.defaults(), Storage.IN_MEMORY), props);
    }

    /**
     * The driver keeps every record the topology writes, per topic, until a test reads it; it also keeps the
     * records it feeds back in (the repartition topic's). Those of the topics analyze does not report are
     * read and dropped from time to time, so that nothing grows with the input.
     */
    static final class UnreadTopics {
        private final TopologyTestDriver driver;
        private final Set<String> read;
        private final Map<String, TestOutputTopic<byte[], byte[]>> others = new HashMap<>();
        private long dropped;

        UnreadTopics(TopologyTestDriver driver, Set<String> read) {
            this.driver = driver;
            this.read = read;
        }

        void drop() {
            for (String name : driver.producedTopicNames()) {
                if (!read.contains(name)) {
                    TestOutputTopic<byte[], byte[]> topic = others.computeIfAbsent(name, n -> driver.createOutputTopic(n,
                            Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer()));
                    while (!topic.isEmpty()) {
                        topic.readRecord();
                        dropped++;
                    }
                }
            }
        }

        /** Records dropped so far. */
        long dropped() {
            return dropped;
        }
    }

    /** The service levels emitted so far, when the topology has their sink (slo.enabled). */
    private static void drainServiceLevels(PipelineSettings settings, TestOutputTopic<String, ServiceLevels> topic,
                                           List<ServiceLevels> into) {
        if (ServiceLevelSettings.of(settings.signals()).enabled()) {
            into.addAll(topic.readValuesToList());
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

    private static Path tempDir() {
        try {
            // RocksDB flushes the stores at every commit (the driver commits after every record): keep them
            // in memory-backed /dev/shm where there is one.
            Path shm = Path.of("/dev/shm");
            if (Files.isDirectory(shm) && Files.isWritable(shm)) {
                return Files.createTempDirectory(shm, "driftwatch-analyze-state");
            }
            return Files.createTempDirectory("driftwatch-analyze-state");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary folder left behind is harmless
        }
    }
}
