package dev.driftwatch.streams.it;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.ServiceLevels;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
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
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Service levels on a real (in-process KRaft) broker with three input partitions: every window's calls
 * are spread over the partitions, so its indicators are the merge of three partial states, and the
 * burn-rate alert is read back with a read_committed consumer.
 */
class ServiceLevelsIntegrationTest {
    private static final long FIVE_MINUTES = 300_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final String SUFFIX = "-slo";
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

    private static InferenceEvent call(int n, long time, double latency, boolean error) {
        return InferenceEvent.newBuilder()
                .setEventId("e-" + n).setRequestId("r-" + n).setModelId("m").setModelVersion("1")
                .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(time))
                .setNumericFeatures(Map.of()).setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().setScore(null).setLabel(null).setConfidence(null).build())
                .setLatencyMs(latency).setTokensIn(10L).setTokensOut(20L).setCost(0.002)
                .setErrorCode(error ? "E500" : null).setSegment(Map.of())
                .build();
    }

    @Test
    void shouldMergeThePartitionsIndicatorsAndFireOnceOnABurstOfErrors() throws Exception {
        broker.createTopics(List.of("inference-events" + SUFFIX), 3);
        broker.createTopics(List.of("driftwatch-baselines" + SUFFIX, "driftwatch-window-stats" + SUFFIX,
                "driftwatch-alerts" + SUFFIX, "driftwatch-dlq" + SUFFIX, "driftwatch-control" + SUFFIX,
                "driftwatch-control-results" + SUFFIX, "driftwatch-service-levels" + SUFFIX), 1);
        Topics topics = Topics.of(Map.of("schema.registry.url", "mock://slo-it-" + UUID.randomUUID()),
                Topics.Names.defaults().withSuffix(SUFFIX));
        PipelineSettings base = PipelineSettings.defaults(Duration.ofMinutes(5)).withInputPartitions(3);
        PipelineSettings settings = base.withSignals(base.signals().with(ServiceLevelSettings.defaults()
                .withMinEvents(50)));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "driftwatch-slo-it");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        // Windows 0..2 of 30 calls each, call i on partition i % 3 with latency 10·(i + 1) ms; every call of
        // window 1 fails. Then a call on every partition two windows later closes them all.
        Map<Long, double[]> latencies = new HashMap<>();
        try (KafkaProducer<String, InferenceEvent> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
                new StringSerializer(), topics.events().valueSerde().serializer())) {
            int n = 0;
            for (int w = 0; w < 3; w++) {
                double[] window = new double[30];
                for (int i = 0; i < 30; i++) {
                    long time = T0 + w * FIVE_MINUTES + i * 5_000L;
                    window[i] = 10.0 * (i + 1);
                    InferenceEvent e = call(n++, time, window[i], w == 1);
                    producer.send(new ProducerRecord<>(topics.events().name(), i % 3, time, e.getRequestId(), e));
                }
                latencies.put(T0 + w * FIVE_MINUTES, window);
            }
            for (int p = 0; p < 3; p++) {
                long time = T0 + 5 * FIVE_MINUTES + p;
                InferenceEvent e = call(n++, time, 10.0, false);
                producer.send(new ProducerRecord<>(topics.events().name(), p, time, e.getRequestId(), e));
            }
            producer.flush();
        }

        List<ServiceLevels> levels = new ArrayList<>();
        List<DriftAlert> alerts = new ArrayList<>();
        try (KafkaStreams streams = new KafkaStreams(DriftwatchTopology.build(settings, topics), props);
             KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                     ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                     ConsumerConfig.GROUP_ID_CONFIG, "slo-it-reader",
                     ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                     ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                     new StringDeserializer(), new ByteArrayDeserializer())) {
            streams.start();
            consumer.subscribe(List.of(topics.serviceLevels().name(), topics.alerts().name()));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while ((levels.size() < 3 || alerts.isEmpty()) && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.serviceLevels().name())) {
                        levels.add(topics.serviceLevels().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } else {
                        alerts.add(topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    }
                }
            }
            // Whatever else is committed within a few more polls (there should be nothing).
            for (int i = 0; i < 5; i++) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(topics.alerts().name())) {
                        alerts.add(topics.alerts().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    } else {
                        levels.add(topics.serviceLevels().valueSerde().deserializer().deserialize(r.topic(), r.value()));
                    }
                }
            }
        }
        levels.sort(Comparator.comparing(ServiceLevels::getWindowStart));
        assertEquals(3, levels.size(), levels.toString());
        for (int w = 0; w < 3; w++) {
            ServiceLevels s = levels.get(w);
            assertEquals(T0 + w * FIVE_MINUTES, s.getWindowStart().toEpochMilli());
            assertEquals(30, s.getRequests(), "merged from three partitions");
            assertEquals(w == 1 ? 30 : 0, s.getErrors());
            assertEquals(300, s.getTokensIn());
            assertEquals(600, s.getTokensOut());
            assertEquals(0.06, s.getCost(), 1e-12);
            assertEquals(0.002, s.getCostPerRequest(), 1e-12);
            double[] sorted = latencies.get(s.getWindowStart().toEpochMilli()).clone();
            Arrays.sort(sorted);
            // p50: 15th of 30 = 150 ms; p95: 29th = 290; p99: 30th = 300.
            assertEquals(150, s.getLatencyP50Ms(), 1.5);
            assertEquals(290, s.getLatencyP95Ms(), 2.9);
            assertEquals(300, s.getLatencyP99Ms(), 3.0);
            assertEquals(sorted[14], 150.0, 0.0);
        }
        // Window 1: 1h = 30 bad of 60 (at least slo.min.events = 50 calls), burn (30 / 60) / 0.01 = 50 > 14.4;
        // 5m: 100. Window 2 keeps it firing
        // (6h/30m: 30 of 90, burn 33 > 6), so one FIRING and no RESOLVED.
        assertEquals(1, alerts.size(), alerts.toString());
        DriftAlert a = alerts.get(0);
        assertEquals(AlertState.FIRING, a.getState());
        assertEquals(SubjectKind.SLO, a.getSubjectKind());
        assertEquals("slo.errors", a.getSubject());
        assertEquals(T0 + FIVE_MINUTES, a.getWindowStart().toEpochMilli());
        assertEquals(50.0, a.getStatistic(), 1e-9);
        assertEquals(60, a.getCurrentSampleSize());
        assertTrue(a.getAlertId().startsWith("al-"), a.getAlertId());
    }
}
