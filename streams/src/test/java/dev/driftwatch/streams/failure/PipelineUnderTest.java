package dev.driftwatch.streams.failure;

import dev.driftwatch.streams.DriftRecords;
import dev.driftwatch.schemas.avro.DeadLetter;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One in-process pipeline ({@link DriftwatchApp}) on its own topics of a shared embedded broker, one input
 * partition, one-minute windows with {@link FailureTraffic#GRACE_MS} grace; a raw producer for any bytes,
 * and a read_committed reader of its outputs.
 */
final class PipelineUnderTest implements AutoCloseable {
    final Topics topics;
    final DriftwatchConfig config;
    final DriftwatchApp app;
    private final EmbeddedKafkaBroker broker;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> reader;
    final List<WindowStats> stats = new ArrayList<>();
    final List<DriftAlert> alerts = new ArrayList<>();
    final List<ConsumerRecord<String, DeadLetter>> deadLetters = new ArrayList<>();

    /**
     * The settings of a pipeline named {@code name} on the broker at {@code bootstrap}: its own application id, mock
     * registry and topics ({@code <name>-events}, {@code -baselines}, {@code -stats}, {@code -alerts}, {@code -dlq},
     * {@code -control}, {@code -control-results}), the given windows, replication factor 1.
     */
    static Map<String, String> settings(String bootstrap, String name, Path stateDir, long windowMs, long graceMs) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("application.id", name);
        props.put("schema.registry.url", "mock://" + name);
        props.put("state.dir", stateDir.toString());
        props.put("topic.inference.events", name + "-events");
        props.put("topic.baselines", name + "-baselines");
        props.put("topic.window.stats", name + "-stats");
        props.put("topic.alerts", name + "-alerts");
        props.put("topic.dlq", name + "-dlq");
        props.put("topic.control", name + "-control");
        props.put("topic.control.results", name + "-control-results");
        props.put("window.size.ms", String.valueOf(windowMs));
        props.put("window.grace.ms", String.valueOf(graceMs));
        props.put("replication.factor", "1");
        return props;
    }

    PipelineUnderTest(EmbeddedKafkaBroker broker, String name, Path stateDir, Map<String, String> extra)
            throws InterruptedException {
        this.broker = broker;
        broker.createTopics(List.of(name + "-events"), 1);
        broker.createTopics(List.of(name + "-baselines", name + "-stats", name + "-alerts", name + "-dlq",
                name + "-control", name + "-control-results"), 1);
        Map<String, String> props = settings(broker.bootstrapServers(), name, stateDir, FailureTraffic.WINDOW_MS,
                FailureTraffic.GRACE_MS);
        props.put("commit.interval.ms", "100");
        props.put("http.port", "0"); // a free port: the default one may be taken
        props.putAll(extra);
        this.config = new DriftwatchConfig(props);
        this.topics = Topics.of(Map.of("schema.registry.url", "mock://" + name), name + "-events",
                name + "-baselines", name + "-stats", name + "-alerts", name + "-dlq");
        Map<String, Object> p = new HashMap<>(FailureTraffic.producerProps(broker.bootstrapServers()));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 2 * 1024 * 1024);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, name + "-reader");
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.reader = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        reader.subscribe(List.of(topics.windowStats().name(), topics.alerts().name(), topics.deadLetters().name()));
        this.app = DriftwatchApp.start(config, config.pipelineSettings(1));
        assertTrue(app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(90)),
                "state " + app.state() + ", failure " + app.failure());
    }

    void publishBaselines(int trainingRows, long seed) {
        FailureTraffic.publishBaselines(broker.bootstrapServers(), topics, trainingRows, seed);
    }

    void send(String key, byte[] value, long timestamp) {
        producer.send(new ProducerRecord<>(topics.events().name(), 0, timestamp, key, value));
    }

    void send(InferenceEvent event) {
        send(event.getRequestId(), topics.events().valueSerde().serializer().serialize(topics.events().name(), event),
                event.getEventTime().toEpochMilli());
    }

    void flush() {
        producer.flush();
    }

    /** Reads outputs until {@code done} holds (checked after every poll), failing after {@code timeout}. */
    void readUntil(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + ": " + stats.size()
                        + " window stats, " + deadLetters.size() + " dead letters, app " + app.state() + " "
                        + app.failure().map(Throwable::toString).orElse(""));
            }
            for (ConsumerRecord<String, byte[]> r : reader.poll(Duration.ofMillis(200))) {
                if (r.topic().equals(topics.windowStats().name())) {
                    stats.add(topics.windowStats().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                            r.value()));
                } else if (r.topic().equals(topics.alerts().name())) {
                    alerts.add(topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                            r.value()));
                } else {
                    DeadLetter d = topics.deadLetters().valueSerde().deserializer().deserialize(r.topic(),
                            r.headers(), r.value());
                    deadLetters.add(new ConsumerRecord<>(r.topic(), r.partition(), r.offset(), r.key(), d));
                }
            }
        }
    }

    /** Reads outputs for {@code time}, e.g. to see that nothing more comes. */
    void readFor(Duration time) {
        long until = System.nanoTime() + time.toNanos();
        try {
            readUntil("the end of " + time, time.plusSeconds(1), () -> System.nanoTime() > until);
        } catch (AssertionError e) {
            throw new IllegalStateException(e);
        }
    }

    /** How many drift records were read (not counting the data-quality record beside each). */
    long driftCount() {
        return stats.stream().filter(DriftRecords::isDrift).count();
    }

    /**
     * The drift records of one subject of one model version for the window starting at {@code start} (not the
     * data-quality record beside each: {@link DriftRecords}).
     */
    List<WindowStats> statsOf(String model, String version, String subject, long start) {
        return stats.stream().filter(s -> DriftRecords.isDrift(s)
                && s.getModelId().equals(model) && s.getModelVersion().equals(version)
                && s.getSubject().equals(subject) && s.getWindowStart().toEpochMilli() == start).toList();
    }

    @Override
    public void close() {
        app.close(Duration.ofSeconds(30));
        producer.close(Duration.ofSeconds(10));
        reader.close(Duration.ofSeconds(10));
    }
}
