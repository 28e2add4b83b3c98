package dev.driftwatch.streams.it;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.ReviewRequest;
import dev.driftwatch.schemas.avro.RoleComparison;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.review.ReviewSettings;
import dev.driftwatch.streams.roles.RoleSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Shadow comparison and review copies on a real (in-process KRaft) broker with three input partitions and
 * exactly-once: requests land on every partition, so the candidate's window parts of three partitions are
 * merged before its comparison; outputs are read back with a read_committed consumer.
 */
class RolesIntegrationTest {
    private static final long T0 = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();
    private static final int PARTITIONS = 3;
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static InferenceEvent event(String request, String version, DeploymentRole role, long time, double score,
                                        Double confidence) {
        return InferenceEvent.newBuilder()
                .setEventId(request + "-" + version).setRequestId(request).setModelId("m").setModelVersion(version)
                .setRole(role).setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(Map.of()).setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().setScore(score).setLabel(null).setConfidence(confidence).build())
                .setLatencyMs(null).setTokensIn(null).setTokensOut(null).setCost(null).setErrorCode(null)
                .setSegment(Map.of())
                .build();
    }

    @Test
    void shouldMergeTheShadowsPairsOfEveryPartitionAndCopyLowConfidenceEvents() throws Exception {
        String suffix = "-roles";
        Topics topics = Topics.of(Map.of("schema.registry.url", "mock://roles-it-" + UUID.randomUUID()),
                Topics.Names.defaults().withSuffix(suffix));
        broker.createTopics(List.of(topics.events().name()), PARTITIONS);
        broker.createTopics(List.of(topics.baselines().name(), topics.windowStats().name(), topics.alerts().name(),
                topics.deadLetters().name(), topics.control().name(), topics.controlResults().name(),
                topics.roleComparisons().name(), topics.review().name()), 1);
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1))
                .withGrace(Duration.ofSeconds(10)).withInputPartitions(PARTITIONS)
                .withSignals(Signals.none()
                        .with(RoleSettings.defaults(true).withJoinWindow(Duration.ofSeconds(5)).withMinPairs(10))
                        .with(new ReviewSettings(true, 0.5)));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "roles-it-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        List<RoleComparison> comparisons = new ArrayList<>();
        List<ReviewRequest> reviews = new ArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(DriftwatchTopology.build(settings, topics), props);
             KafkaConsumer<String, byte[]> consumer = consumer()) {
            streams.start();
            consumer.subscribe(List.of(topics.roleComparisons().name(), topics.review().name()));
            produce(topics);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            // Wait for the outputs, then a little longer so that a duplicate would show.
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.roleComparisons().name())) {
                        comparisons.add(topics.roleComparisons().valueSerde().deserializer()
                                .deserialize(r.topic(), r.headers(), r.value()));
                    } else {
                        reviews.add(topics.review().valueSerde().deserializer()
                                .deserialize(r.topic(), r.headers(), r.value()));
                    }
                }
                if (quietUntil == Long.MAX_VALUE && !comparisons.isEmpty() && reviews.size() >= 9) {
                    quietUntil = System.nanoTime() + Duration.ofSeconds(2).toNanos();
                }
            }
            streams.close(Duration.ofSeconds(20));
        }
        assertEquals(1, comparisons.size(), comparisons.toString());
        RoleComparison c = comparisons.get(0);
        assertEquals("s", c.getCandidateVersion());
        assertEquals("p1", c.getPrimaryVersion());
        assertEquals(90, c.getPairedRequests());
        assertEquals(60, c.getAgreeingRequests(), "every third shadow score is 0.2 off");
        assertEquals(2.0 / 3, c.getAgreementRate(), 1e-12);
        assertEquals(4, c.getUnpairedCandidate());
        assertTrue(c.getDiffers(), "agreement 2/3 is below 0.8");
        TreeSet<String> reviewed = new TreeSet<>();
        reviews.forEach(r -> reviewed.add(r.getRequestId()));
        assertEquals(9, reviews.size(), reviews.toString());
        assertEquals(new TreeSet<>(List.of("r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7", "r8")), reviewed);
    }

    /**
     * 90 requests r0..r89 with a primary (confidence 0.3 for the first 9, else 0.9) and a shadow (the same
     * score, 0.2 higher for every third request); 4 shadow events without a primary; then one event per
     * partition two minutes later, which closes the window everywhere.
     */
    private static void produce(Topics topics) {
        Map<String, Object> p = new HashMap<>();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();
        String topic = topics.events().name();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(),
                new ByteArraySerializer())) {
            List<InferenceEvent> events = new ArrayList<>();
            for (int i = 0; i < 90; i++) {
                long t = T0 + i * 500L;
                double score = (i + 0.5) / 90;
                events.add(event("r" + i, "p1", DeploymentRole.PRIMARY, t, score, i < 9 ? 0.3 : 0.9));
                events.add(event("r" + i, "s", DeploymentRole.SHADOW, t + 100, i % 3 == 0 ? score + 0.2 : score, null));
            }
            for (int i = 0; i < 4; i++) {
                events.add(event("u" + i, "s", DeploymentRole.SHADOW, T0 + 50_000 + i, 0.5, null));
            }
            for (InferenceEvent e : events) {
                producer.send(new ProducerRecord<>(topic, null, e.getEventTime().toEpochMilli(), e.getRequestId(),
                        serializer.serialize(topic, e)));
            }
            producer.flush();
            for (int partition = 0; partition < PARTITIONS; partition++) {
                InferenceEvent close = event("close-" + partition, "p1", DeploymentRole.PRIMARY, T0 + 120_000, 0.5,
                        0.9);
                producer.send(new ProducerRecord<>(topic, partition, T0 + 120_000, close.getRequestId(),
                        serializer.serialize(topic, close)));
            }
            producer.flush();
        }
    }

    private static KafkaConsumer<String, byte[]> consumer() {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "roles-it-reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
