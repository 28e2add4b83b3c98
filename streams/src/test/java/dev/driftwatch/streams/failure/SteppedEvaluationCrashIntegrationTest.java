package dev.driftwatch.streams.failure;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.Storage;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.demo.DemoTraffic;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBrokerExtension;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stages' steps under SIGKILL: one event closes 32 windows (16 model versions x 2 windows), and the pipeline
 * ({@link SteppedPipelineProcess}, in a child JVM, on the in-build broker) hands them on {@value #CHUNK_SUBJECTS}
 * subjects per step (here one window), a commit and a hand-on mark after each, and evaluates each window once the
 * mark has passed it, {@value #CHUNK_SUBJECTS} subjects per step, a commit after each. It is killed three times in the
 * middle of that: after its first commit of evaluated windows, while the next step's records are being sent; between
 * two steps halfway through the rest; within the first step after a restart, before that run committed anything.
 * After each kill a read_committed consumer reads exactly the records of whole committed steps, as the offline
 * topology (every ready window evaluated at once) gives them, in its order; after the last restart it reads every
 * (window, subject) statistic and every alert once: the same records as the offline topology, no step run twice,
 * none skipped.
 */
@Timeout(300)
class SteppedEvaluationCrashIntegrationTest {
    @RegisterExtension
    static final EmbeddedKafkaBrokerExtension KAFKA =
            new EmbeddedKafkaBrokerExtension(Map.of("log.retention.ms", "-1")); // event times weeks old

    static final int CHUNK_SUBJECTS = 4;
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-02T00:00:00Z").toEpochMilli();
    private static final int VERSIONS = 16;
    private static final int EVENTS_PER_WINDOW = 150;
    /** Versions that drift in both windows (they fire in the first), and one that drifts in the second only. */
    private static final Set<String> DRIFTING = Set.of("v04", "v09", "v14");
    private static final String DRIFTING_LATER = "v07";
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String APP = "stepped-crash";

    @TempDir
    Path dir;
    private ChildJvm pipeline;

    @AfterEach
    void killPipeline() {
        if (pipeline != null) {
            pipeline.close();
        }
    }

    private record Run(List<WindowStats> stats, List<DriftAlert> alerts) {
    }

    @Test
    void shouldEvaluateEveryReadyWindowOnceWhenKilledBetweenAndWithinItsSteps() throws Exception {
        long t0 = System.nanoTime();
        DriftwatchConfig config = config();
        SteppedPipelineProcess.fixSchemaIds(config.schemaRegistryUrl());
        List<Baseline> baselines = FailureTraffic.baselines(versions(), 2_000, 7);
        List<InferenceEvent> events = events();
        Run offline = offline(config, baselines, events);
        List<Integer> windowEnds = windowEnds(offline.stats());
        int total = offline.stats().size();
        assertEquals(2 * VERSIONS, windowEnds.size(), "windows evaluated offline");
        assertTrue(offline.alerts().stream().anyMatch(a -> a.getState() == AlertState.FIRING
                && a.getModelVersion().equals(DRIFTING_LATER)), "an alert of the second window: " + offline.alerts());

        KAFKA.broker().createTopics(List.of(config.eventsTopic(), config.baselinesTopic(), config.windowStatsTopic(),
                config.alertsTopic(), config.deadLettersTopic(), config.controlTopic(),
                config.controlResultsTopic()), 1);
        publish(config, baselines, events);
        Path file = dir.resolve("driftwatch.properties");
        Files.writeString(file, properties());

        try (Reader reader = new Reader(config)) {
            // 1. After the first commit of evaluated windows (the watermark's step, with the first punctuation's when
            // the stream thread ran that before committing), as the next step's second record is being sent.
            int committed = runUntilStopped(file, 1, 2);
            assertTrue(committed > 0 && committed < total, "a step committed, not all: " + committed + " of " + total);
            reader.assertWholeSteps("after the first step", offline, windowEnds, committed);
            log("killed after the first step: %d of %d records committed (%d windows)", committed, total,
                    windowEnds.indexOf(committed) + 1);

            // 2. Between two steps, halfway through the windows left.
            int left = windowEnds.size() - windowEnds.indexOf(committed) - 1;
            int before = committed;
            committed += runUntilStopped(file, left / 2, 1);
            assertTrue(committed > before && committed < total, "steps committed: " + before + " -> " + committed);
            reader.assertWholeSteps("between two steps in the middle", offline, windowEnds, committed);
            log("killed between two steps: %d of %d records committed (%d windows)", committed, total,
                    windowEnds.indexOf(committed) + 1);

            // 3. Within the first step after a restart: that run commits nothing, the step is redone by the next.
            assertEquals(0, runUntilStopped(file, 0, 3), "records committed by a run stopped in its first step");
            reader.assertWholeSteps("within the first step after a restart", offline, windowEnds, committed);
            log("killed within the first step after a restart: still %d records committed", committed);

            // 4. Uninterrupted to the end.
            pipeline = start(file, -1, 0, dir.resolve("never"));
            reader.readUntil("every window", total, offline.alerts().size());
            pipeline.kill();
            reader.readUntil("nothing more", total, offline.alerts().size());
            assertSameRecords("after three kills", offline.stats(), reader.stats);
            assertEquals(alertIds(offline.alerts()), alertIds(reader.alerts));
            assertEquals(offline.alerts(), reader.alerts);
            assertEquals(total, new HashSet<>(reader.stats).size(), "each (window, subject) statistic once");
            assertEquals(reader.alerts.size(), new HashSet<>(alertIds(reader.alerts)).size(), "each alert once");
            log("after 3 kills: %d window statistics and %d alerts, as offline, in %.1f s", total,
                    reader.alerts.size(), (System.nanoTime() - t0) / 1e9);
        }
    }

    private static void log(String format, Object... args) {
        System.out.printf(Locale.ROOT, "[stepped-crash-test] " + format + "%n", args);
    }

    /** Starts the pipeline, waits until it stops where asked, kills it: the window statistics that run committed. */
    private int runUntilStopped(Path config, int steps, int record) throws Exception {
        Path marker = dir.resolve("stopped-" + steps + "-" + record);
        pipeline = start(config, steps, record, marker);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(marker)) {
            if (!pipeline.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("the pipeline did not stop at record " + record + " after " + steps
                        + " committed steps within " + WAIT + ": " + pipeline.tail());
            }
            Thread.sleep(10); // poll interval of the marker file
        }
        pipeline.kill();
        Matcher m = Pattern.compile("records=(\\d+)").matcher(Files.readString(marker));
        assertTrue(m.find(), Files.readString(marker));
        return Integer.parseInt(m.group(1));
    }

    private static int starts;

    private static ChildJvm start(Path config, int steps, int record, Path marker) throws Exception {
        Path log = Path.of("target", "it-logs", "stepped-crash-" + (++starts) + ".log").toAbsolutePath();
        return ChildJvm.start(log, List.of("-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                SteppedPipelineProcess.class.getName(), config.toString(), String.valueOf(CHUNK_SUBJECTS),
                String.valueOf(steps), String.valueOf(record), marker.toString());
    }

    private Map<String, String> settings() {
        return PipelineUnderTest.settings(KAFKA.bootstrapServers(), APP, dir.resolve("state"), MINUTE, MINUTE);
    }

    private DriftwatchConfig config() {
        return new DriftwatchConfig(settings());
    }

    private String properties() {
        StringBuilder s = new StringBuilder();
        settings().forEach((k, v) -> s.append(k).append('=').append(v).append('\n'));
        return s.toString();
    }

    private static List<String> versions() {
        List<String> out = new ArrayList<>();
        for (int v = 1; v <= VERSIONS; v++) {
            out.add(String.format("v%02d", v));
        }
        return out;
    }

    /**
     * Two one-minute windows of every version; with a minute of grace, the first closes only with the last event,
     * minutes later, as the second does: one event closes all 32 windows.
     */
    private static List<InferenceEvent> events() {
        DemoTraffic traffic = new DemoTraffic(22);
        List<InferenceEvent> out = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            for (int i = 0; i < EVENTS_PER_WINDOW; i++) {
                for (String v : versions()) {
                    boolean drift = DRIFTING.contains(v) || (w == 1 && v.equals(DRIFTING_LATER));
                    long time = T0 + w * MINUTE + i * (MINUTE / EVENTS_PER_WINDOW);
                    out.add(traffic.event(FailureTraffic.MODEL, v, time, traffic.row(drift)));
                }
            }
        }
        out.add(traffic.event(FailureTraffic.MODEL, "v01", T0 + 4 * MINUTE, traffic.row(false)));
        return out;
    }

    /** The same traffic through the whole topology on a test driver, every ready window evaluated at once. */
    private Run offline(DriftwatchConfig config, List<Baseline> baselines, List<InferenceEvent> events) {
        Topics topics = Topics.defaults(Map.of("schema.registry.url", "mock://" + APP + "-offline"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP + "-offline");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.resolve("offline").toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try (TopologyTestDriver driver = new TopologyTestDriver(DriftwatchTopology.build(config.pipelineSettings(1),
                topics, config.controlSettings(), Storage.IN_MEMORY, Integer.MAX_VALUE), props)) {
            TestInputTopic<String, Baseline> baselineInput = driver.createInputTopic(topics.baselines().name(),
                    Serdes.String().serializer(), topics.baselines().valueSerde().serializer());
            for (Baseline b : baselines) {
                baselineInput.pipeInput(FailureTraffic.key(b), b, Instant.EPOCH);
            }
            TestInputTopic<String, InferenceEvent> input = driver.createInputTopic(topics.events().name(),
                    Serdes.String().serializer(), topics.events().valueSerde().serializer());
            for (InferenceEvent e : events) {
                input.pipeInput(e.getRequestId(), e, e.getEventTime());
            }
            return new Run(driver.createOutputTopic(topics.windowStats().name(), Serdes.String().deserializer(),
                    topics.windowStats().valueSerde().deserializer()).readValuesToList(),
                    driver.createOutputTopic(topics.alerts().name(), Serdes.String().deserializer(),
                            topics.alerts().valueSerde().deserializer()).readValuesToList());
        }
    }

    private static void publish(DriftwatchConfig config, List<Baseline> baselines, List<InferenceEvent> events) {
        Topics topics = config.topics();
        Map<String, Object> p = new HashMap<>(FailureTraffic.producerProps(KAFKA.bootstrapServers()));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            for (Baseline b : baselines) {
                producer.send(new ProducerRecord<>(topics.baselines().name(), FailureTraffic.key(b),
                        topics.baselines().valueSerde().serializer().serialize(topics.baselines().name(), b)));
            }
            for (InferenceEvent e : events) {
                byte[] value = topics.events().valueSerde().serializer().serialize(topics.events().name(), e);
                producer.send(new ProducerRecord<>(topics.events().name(), 0, e.getEventTime().toEpochMilli(),
                        e.getRequestId(), value));
            }
            producer.flush();
        }
    }

    /** The number of records up to the end of each window, in the order evaluated. */
    private static List<Integer> windowEnds(List<WindowStats> stats) {
        List<Integer> ends = new ArrayList<>();
        for (int i = 1; i <= stats.size(); i++) {
            if (i == stats.size() || !window(stats.get(i)).equals(window(stats.get(i - 1)))) {
                ends.add(i);
            }
        }
        return ends;
    }

    private static String window(WindowStats s) {
        return s.getModelVersion() + "@" + s.getWindowStart();
    }

    private static String window(DriftAlert a) {
        return a.getModelVersion() + "@" + a.getWindowStart();
    }

    /** Fails at the first record that differs, naming its window and subject, and the records read twice. */
    static void assertSameRecords(String when, List<WindowStats> expected, List<WindowStats> read) {
        if (expected.equals(read)) {
            return;
        }
        int i = 0;
        while (i < Math.min(expected.size(), read.size()) && expected.get(i).equals(read.get(i))) {
            i++;
        }
        Map<String, Integer> times = new HashMap<>();
        read.forEach(s -> times.merge(describe(s), 1, Integer::sum));
        List<String> twice = times.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).sorted()
                .toList();
        throw new AssertionError(String.format(Locale.ROOT, "%s: read %d window statistics, expected %d; the first"
                        + " difference is record %d: expected %s, read %s; %d read more than once %s", when,
                read.size(), expected.size(), i, i < expected.size() ? describe(expected.get(i)) : "none",
                i < read.size() ? describe(read.get(i)) : "none", twice.size(),
                twice.subList(0, Math.min(8, twice.size()))));
    }

    private static String describe(WindowStats s) {
        return window(s) + " " + s.getSubjectKind() + " " + s.getSubject();
    }

    private static List<String> alertIds(List<DriftAlert> alerts) {
        return alerts.stream().map(DriftAlert::getAlertId).toList();
    }

    /** A read_committed reader of the window statistics and alerts, from their beginning. */
    private static final class Reader implements AutoCloseable {
        private final Topics topics;
        private final KafkaConsumer<String, byte[]> consumer;
        private final List<TopicPartition> partitions;
        final List<WindowStats> stats = new ArrayList<>();
        final List<DriftAlert> alerts = new ArrayList<>();

        Reader(DriftwatchConfig config) {
            this.topics = config.topics();
            Map<String, Object> c = new HashMap<>();
            c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
            c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
            c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
            this.partitions = List.of(new TopicPartition(topics.windowStats().name(), 0),
                    new TopicPartition(topics.alerts().name(), 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
        }

        /**
         * Reads until at least {@code statsCount} window statistics and {@code alertCount} alerts came and the
         * reader is at the last stable offset of both topics (nothing more committed to read).
         */
        void readUntil(String what, int statsCount, int alertCount) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (stats.size() < statsCount || alerts.size() < alertCount || !atEnd()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("read " + stats.size() + " window statistics and " + alerts.size()
                            + " alerts within " + WAIT + ", waiting for " + what + ": " + statsCount + " and "
                            + alertCount);
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (r.topic().equals(topics.windowStats().name())) {
                        stats.add(topics.windowStats().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                                r.value()));
                    } else {
                        alerts.add(topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                                r.value()));
                    }
                }
            }
        }

        private boolean atEnd() {
            // For a read_committed consumer, the end offsets are the last stable offsets.
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp));
        }

        /**
         * After a kill: the reader reads the first {@code committed} records of the offline run, up to the end of a
         * window (a step commits whole windows), and the alerts of those windows, and nothing of the step cut short.
         */
        void assertWholeSteps(String when, Run offline, List<Integer> windowEnds, int committed) {
            Set<String> windows = new LinkedHashSet<>();
            offline.stats().subList(0, committed).forEach(s -> windows.add(window(s)));
            List<DriftAlert> expectedAlerts = offline.alerts().stream().filter(a -> windows.contains(window(a)))
                    .toList();
            readUntil(when, committed, expectedAlerts.size());
            assertTrue(windowEnds.contains(committed), when + ": " + committed + " records are not whole windows "
                    + windowEnds);
            assertSameRecords(when, offline.stats().subList(0, committed), stats);
            assertEquals(expectedAlerts, alerts, when);
        }

        @Override
        public void close() {
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
        }
    }
}
