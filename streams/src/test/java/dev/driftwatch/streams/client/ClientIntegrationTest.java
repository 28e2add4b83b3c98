package dev.driftwatch.streams.client;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.CommandStatus;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.ControlResult;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.streams.baseline.CsvBaselines;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.config.Preflight.PreflightException;
import dev.driftwatch.streams.replay.BadRecords;
import dev.driftwatch.streams.replay.EventFileReader;
import dev.driftwatch.streams.replay.EventFileWriter;
import dev.driftwatch.streams.replay.EventFormat;
import dev.driftwatch.streams.replay.RatePacer;
import dev.driftwatch.streams.replay.ResumePoint;
import dev.driftwatch.streams.tail.OutputRecords;
import dev.driftwatch.streams.tail.OutputTopic;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clients on a real (in-process KRaft) broker, without a pipeline and without picocli. */
@Timeout(240)
class ClientIntegrationTest {
    private static final String REGISTRY = "mock://client-it";
    private static final int PARTITIONS = 2;
    /** One broker for the class, closed after its last test; topics only where a test makes them. */
    @AutoClose
    private static final EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(
            Map.of("auto.create.topics.enable", "false"));

    @TempDir
    Path dir;

    @BeforeAll
    static void createTopicsAndRegistry() {
        kafka.createTopics(List.of("driftwatch-baselines", "driftwatch-control", "driftwatch-control-results",
                "driftwatch-alerts"), 1);
        kafka.createTopics(List.of("inference-events", "replayed-events"), PARTITIONS);
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf(REGISTRY));
    }

    private static DriftwatchConfig config(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>(Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "schema.registry.url", REGISTRY, "application.id", "client-it"));
        props.putAll(extra);
        return new DriftwatchConfig(props);
    }

    @Test
    void shouldPublishBaselinesAndReportEachAcknowledgedOneInOrder() {
        DriftwatchConfig cfg = config(Map.of());
        List<CsvBaselines.Entry> entries = new ArrayList<>();
        for (String subject : List.of("age", "income", "country")) {
            Baseline b = SampleTraffic.baselines(7, 200).get(0);
            b.setFeature(subject);
            entries.add(new CsvBaselines.Entry(subject, BaselineCodec.key("churn", "7", subject), b));
        }
        List<String> acknowledged = new ArrayList<>();
        new BaselinePublisher(cfg).publish(entries, e -> acknowledged.add(e.subject()));
        assertEquals(List.of("age", "income", "country"), acknowledged);

        List<Map.Entry<String, Baseline>> read = readAll(cfg, cfg.baselinesTopic(), 3,
                cfg.topics().baselines().valueSerde().deserializer());
        assertEquals(List.of("churn/7/age", "churn/7/income", "churn/7/country"),
                read.stream().map(Map.Entry::getKey).toList());
        assertEquals("income", read.get(1).getValue().getFeature());
    }

    @Test
    void shouldRefuseToPublishToAMissingTopicInOneLine() {
        DriftwatchConfig cfg = config(Map.of("topic.baselines", "no-such-baselines"));
        PreflightException e = assertThrows(PreflightException.class,
                () -> new BaselinePublisher(cfg).publish(List.of(), x -> { }));
        assertTrue(e.getMessage().startsWith("topic 'no-such-baselines' (topic.baselines) does not exist"),
                e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void shouldSendACommandAndAwaitTheResultWithItsId() throws Exception {
        DriftwatchConfig cfg = config(Map.of());
        ControlClient client = new ControlClient(cfg);
        assertEquals(Optional.empty(), client.send(command("nobody-answers"), Duration.ofSeconds(2)),
                "no pipeline, no result");

        // a stand-in for the pipeline: answers every command it reads, after an unrelated result
        CompletableFuture<Void> pipeline = CompletableFuture.runAsync(() -> answerOneCommand(cfg));
        Optional<ControlResult> result = client.send(command("it-mute-2"), Duration.ofSeconds(60));
        pipeline.get(60, TimeUnit.SECONDS);
        assertTrue(result.isPresent());
        assertEquals("it-mute-2", result.get().getCommandId());
        assertEquals(CommandStatus.ACCEPTED, result.get().getStatus());
    }

    @Test
    void shouldReplayAFileWithClosingEventsAndResumeAfterSkippedEvents() {
        DriftwatchConfig cfg = config(Map.of("topic.inference.events", "replayed-events"));
        Path file = dir.resolve("events.jsonl");
        long start = (Instant.now().toEpochMilli() / 60_000 - 5) * 60_000; // recent: within every retention
        long written;
        try (EventFileWriter writer = EventFileWriter.create(file, EventFormat.JSONL)) {
            written = SampleTraffic.events(new SampleTraffic.Plan(2, 10, 1, Duration.ofMinutes(1), start, 3),
                    writer::write);
        }
        EventReplay.Plan plan = new EventReplay.Plan("replayed-events", null, null, new RatePacer(0),
                Duration.ofSeconds(60), "60s", ResumePoint.parse("5"), true, false, "client-it:" + file);
        EventReplay replay = new EventReplay(cfg, plan);
        List<Long> progress = new ArrayList<>();
        List<Integer> closed = new ArrayList<>();
        EventReplay.Result result = replay.fromFile(EventFileReader.open(file), new BadRecords(),
                new EventReplay.Listener() {
                    @Override
                    public void sent(long events) {
                        progress.add(events);
                    }

                    @Override
                    public void closed(Instant time, int partitions) {
                        closed.add(partitions);
                    }
                });
        assertEquals(written - 5, result.sent());
        assertEquals(written - 5, progress.get(progress.size() - 1));
        assertEquals(List.of(PARTITIONS), closed);
        assertEquals(1.0, replay.fraction(), 1e-9);

        List<Map.Entry<String, InferenceEvent>> read = readAll(cfg, "replayed-events",
                (int) (written - 5) + PARTITIONS, cfg.topics().events().valueSerde().deserializer());
        long closing = read.stream().filter(e -> e.getValue().getModelId().startsWith("*")).count();
        assertEquals(PARTITIONS, closing, "one closing event per partition");
        assertEquals(written - 5, read.stream().map(e -> e.getValue().getEventId()).distinct().count() - 1,
                "every event after the skipped ones, once");
    }

    @Test
    void shouldReadAnOutputTopicFromTheBeginning() {
        DriftwatchConfig cfg = config(Map.of());
        DriftAlert alert = OutputRecords.alert("alert-1", AlertState.FIRING, Severity.CRITICAL, "age", Instant.now(), null);
        Properties props = cfg.producerProperties();
        try (KafkaProducer<String, DriftAlert> producer = new KafkaProducer<>(props, new StringSerializer(),
                cfg.topics().alerts().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(cfg.alertsTopic(), "churn/7/age", alert));
        }
        List<SpecificRecord> seen = new ArrayList<>();
        TopicReader.Outcome outcome = new TopicReader(cfg).read(new TopicReader.Request(OutputTopic.ALERTS,
                TopicReader.Start.BEGINNING, null, false, 1, Duration.ofSeconds(60), TopicReader.Filter.NONE),
                new TopicReader.Sink() {
                    @Override
                    public void record(ConsumerRecord<String, byte[]> origin, SpecificRecord value) {
                        seen.add(value);
                    }

                    @Override
                    public void undecodable(ConsumerRecord<String, byte[]> origin, String reason) {
                    }
                });
        assertEquals(1, outcome.matched());
        assertEquals(alert.getAlertId(), ((DriftAlert) seen.get(0)).getAlertId());
    }

    private static ControlCommand command(String id) {
        return ControlCommand.newBuilder().setCommandId(id).setType(CommandType.MUTE).setIssuedAt(Instant.now())
                .setIssuedBy("client-it").setModelId("churn").build();
    }

    /** Reads the first command of the control topic and writes an unrelated result, then the command's own. */
    private static void answerOneCommand(DriftwatchConfig cfg) {
        Deserializer<ControlCommand> commands = cfg.topics().control().valueSerde().deserializer();
        try (KafkaConsumer<String, byte[]> consumer = consumer(cfg);
             KafkaProducer<String, ControlResult> producer = new KafkaProducer<>(cfg.producerProperties(),
                     new StringSerializer(), cfg.topics().controlResults().valueSerde().serializer())) {
            consumer.subscribe(List.of(cfg.controlTopic()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    ControlCommand c = commands.deserialize(r.topic(), r.value());
                    if (!c.getCommandId().equals("it-mute-2")) {
                        continue;
                    }
                    producer.send(new ProducerRecord<>(cfg.controlResultsTopic(), "someone-else",
                            result("someone-else")));
                    producer.send(new ProducerRecord<>(cfg.controlResultsTopic(), c.getCommandId(),
                            result(c.getCommandId())));
                    producer.flush();
                    return;
                }
            }
            throw new AssertionError("no command on " + cfg.controlTopic());
        }
    }

    private static ControlResult result(String id) {
        return ControlResult.newBuilder().setCommandId(id).setStatus(CommandStatus.ACCEPTED)
                .setCommandType(CommandType.MUTE.name()).setProcessedAt(Instant.now()).build();
    }

    private static KafkaConsumer<String, byte[]> consumer(DriftwatchConfig cfg) {
        Properties props = cfg.consumerProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "client-it-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }

    /** The first {@code count} records of the topic, key and value, in the order read. */
    private static <V> List<Map.Entry<String, V>> readAll(DriftwatchConfig cfg, String topic, int count,
                                                         Deserializer<V> values) {
        List<Map.Entry<String, V>> read = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer(cfg)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (read.size() < count && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read.add(Map.entry(r.key(), values.deserialize(r.topic(), r.value())));
                }
            }
        }
        assertEquals(count, read.size(), "records on " + topic);
        return read;
    }
}
