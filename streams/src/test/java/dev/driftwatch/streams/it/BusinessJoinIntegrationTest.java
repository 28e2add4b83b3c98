package dev.driftwatch.streams.it;

import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.BusinessMetrics;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.avro.OutcomeType;
import dev.driftwatch.schemas.avro.SubjectKind;
import dev.driftwatch.streams.app.DriftwatchTopology;
import dev.driftwatch.streams.PipelineMetrics;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Signals;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.business.BusinessSettings;
import dev.driftwatch.streams.business.CtrBaseline;
import dev.driftwatch.streams.business.UnattributedOutcomes;
import dev.driftwatch.streams.demo.DemoOutcomes;
import dev.driftwatch.streams.demo.DemoRun;
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
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CTR join on a real (in-process KRaft) broker: inference and outcome events spread over three
 * partitions of each topic by request id are joined per partition and merged into one window's
 * business metrics; and the demo's traffic gives a CTR alert on the drifting version only.
 */
@Timeout(300)
class BusinessJoinIntegrationTest {
    private static final long T0 = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();
    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static void createTopics(String suffix, int partitions) {
        broker.createTopics(List.of("inference-events" + suffix, "outcome-events" + suffix), partitions);
        broker.createTopics(List.of("driftwatch-baselines" + suffix, "driftwatch-window-stats" + suffix,
                "driftwatch-alerts" + suffix, "driftwatch-dlq" + suffix, "driftwatch-control" + suffix,
                "driftwatch-control-results" + suffix, "driftwatch-business-metrics" + suffix), 1);
    }

    @Test
    void shouldJoinOutcomesAcrossPartitionsIntoOneWindowsCounts() throws Exception {
        String suffix = "-exact";
        createTopics(suffix, 3);
        Topics topics = Topics.of(Map.of("schema.registry.url", "mock://business-it-" + UUID.randomUUID()),
                Topics.Names.defaults().withSuffix(suffix));
        Map<String, Long> counts = new ConcurrentHashMap<>();
        PipelineMetrics metrics = new PipelineMetrics() {
            @Override
            public void outcomes(String result, long count) {
                counts.merge(result, count, Long::sum);
            }
        };
        PipelineSettings settings = PipelineSettings.defaults(Duration.ofMinutes(1)).withGrace(Duration.ofSeconds(5))
                .withInputPartitions(3).withMetrics(metrics)
                .withSignals(Signals.none().with(BusinessSettings.enabled(Duration.ofSeconds(10))
                        .withJoinGrace(Duration.ofSeconds(20))));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "business-it-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 200);
        props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        props.put(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 1000L);
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");

        // 30 requests in window [09:00, 09:01): every one shown, r0..r11 clicked, r0..r2 converted;
        // r3..r5 get a second impression (duplicates), r6 a second click 15 s after its inference, and two
        // outcomes name requests that never existed (unmatched). r6's request is final at 6 s + 10 s join
        // window + 20 s join grace = 36 s, after the last of these inferences (29 s): so however far the
        // inferences are fetched ahead of the outcomes, r6's second click is read while its request is open
        // and is counted outside its join window, never unmatched.
        try (KafkaStreams streams = new KafkaStreams(DriftwatchTopology.build(settings, topics), props);
             KafkaProducer<String, byte[]> producer = producer()) {
            streams.start();
            waitRunning(streams);
            for (int i = 0; i < 30; i++) {
                String id = "r" + i;
                long t = T0 + i * 1_000L;
                send(producer, topics.events().name(), id, t, topics.events().valueSerde().serializer()
                        .serialize(topics.events().name(), inference(id, t)));
                sendOutcome(producer, topics, id, OutcomeType.IMPRESSION, t + 100);
                if (i >= 3 && i <= 5) {
                    sendOutcome(producer, topics, id, OutcomeType.IMPRESSION, t + 150);
                }
                if (i < 12) {
                    sendOutcome(producer, topics, id, OutcomeType.CLICK, t + 500);
                }
                if (i < 3) {
                    sendOutcome(producer, topics, id, OutcomeType.CONVERSION, t + 900);
                }
                if (i == 6) {
                    sendOutcome(producer, topics, id, OutcomeType.CLICK, t + 15_000);
                }
            }
            sendOutcome(producer, topics, "nobody-1", OutcomeType.CLICK, T0 + 40_000);
            sendOutcome(producer, topics, "nobody-2", OutcomeType.IMPRESSION, T0 + 41_000);
            producer.flush();
            // Move every partition's stream time past the window, its grace and the join window.
            long closing = T0 + 3 * 60_000;
            for (int p = 0; p < 3; p++) {
                producer.send(new ProducerRecord<>(topics.events().name(), p, closing, "close-" + p,
                        topics.events().valueSerde().serializer().serialize(topics.events().name(),
                                inference("close-" + p, closing))));
            }
            producer.flush();
            List<BusinessMetrics> all = readBusiness(topics, 2, Duration.ofSeconds(60));
            assertEquals(2, all.size(), all.toString());
            // The two orphans, per window, on the *unattributed* record.
            List<BusinessMetrics> unattributed = all.stream()
                    .filter(b -> b.getModelId().equals(UnattributedOutcomes.MODEL)).toList();
            assertEquals(1, unattributed.size(), all.toString());
            assertEquals(T0, unattributed.get(0).getWindowStart().toEpochMilli());
            assertEquals(2, unattributed.get(0).getUnmatchedOutcomes());
            assertEquals(0, unattributed.get(0).getLateOutcomes());
            List<BusinessMetrics> records = all.stream()
                    .filter(b -> !b.getModelId().equals(UnattributedOutcomes.MODEL)).toList();
            BusinessMetrics m = records.get(0);
            assertEquals(T0, m.getWindowStart().toEpochMilli());
            assertEquals(30, m.getInferenceCount());
            assertEquals(30, m.getRequestCount());
            assertEquals(30, m.getImpressionCount());
            assertEquals(12, m.getClickCount());
            assertEquals(3, m.getConversionCount());
            assertEquals(0.4, m.getCtr(), 1e-12);
            assertEquals(0.25, m.getConversionRate(), 1e-12);
            assertEquals(3, m.getDuplicateOutcomes());
            assertEquals(1, m.getOutcomesOutsideJoinWindow(), "r6's second click");
            assertEquals(Map.of("joined", 45L, "duplicate", 3L, "outside_window", 1L, "unmatched", 2L), counts,
                    "30 impressions, 12 clicks and 3 conversions joined");
            assertEquals(0, m.getClicksWithoutImpression());
            streams.close(Duration.ofSeconds(20));
        }
    }

    @Test
    void shouldShowACtrAlertOnTheDriftingVersionInTheDemo() throws InterruptedException {
        String suffix = "-demo";
        createTopics(suffix, 3);
        DemoRun.Plan plan = new DemoRun.Plan(4, 1500, 2, Duration.ofMinutes(1), 20_000, 0, 11);
        StringWriter log = new StringWriter();
        DemoRun.Outcome o = new DemoRun(broker.bootstrapServers(), new PrintWriter(log), false).withOutcomes(true)
                .run(plan, 3, Duration.ofSeconds(120), suffix);
        assertEquals(o.expectedWindowStats(), o.windowStats(), log.toString());
        assertEquals(2 * plan.windows(), o.business().size(), log.toString());
        List<DriftAlert> ctr = o.alerts().stream().filter(a -> a.getSubjectKind() == SubjectKind.BUSINESS).toList();
        assertEquals(1, ctr.size(), log.toString());
        DriftAlert firing = ctr.get(0);
        assertEquals(AlertState.FIRING, firing.getState());
        assertEquals(DemoRun.DRIFTING_VERSION, firing.getModelVersion());
        assertEquals(CtrBaseline.SUBJECT, firing.getSubject());
        assertEquals(T0 + 2 * 60_000, firing.getWindowStart().toEpochMilli(), "the CTR drops with the drift");
        for (BusinessMetrics m : o.business()) {
            boolean drifted = m.getModelVersion().equals(DemoRun.DRIFTING_VERSION)
                    && m.getWindowStart().toEpochMilli() >= T0 + 2 * 60_000;
            // Clicks follow the scores (mean about SCORED_CTR) until the drift.
            double expected = drifted ? DemoOutcomes.DRIFTED_CTR : DemoOutcomes.SCORED_CTR;
            // About 1350 impressions a window: the CTR is within 4 standard errors of its click probability.
            double se = Math.sqrt(expected * (1 - expected) / m.getImpressionCount());
            assertTrue(Math.abs(m.getCtr() - expected) < 4 * se, m.toString());
            assertTrue(m.getImpressionCount() > 1200 && m.getImpressionCount() < 1500, m.toString());
        }
        long duplicates = o.business().stream().mapToLong(BusinessMetrics::getDuplicateOutcomes).sum();
        long clickFirst = o.business().stream().mapToLong(BusinessMetrics::getClicksBeforeImpression).sum();
        long noImpression = o.business().stream().mapToLong(BusinessMetrics::getClicksWithoutImpression).sum();
        assertTrue(duplicates > 0 && clickFirst > 0 && noImpression > 0, o.business().toString());
        for (DriftAlert a : o.alerts()) {
            if (a.getSubjectKind() == SubjectKind.FEATURE) {
                assertNotNull(a.getBusinessContext(), "every drift alert carries the CTR: " + a);
                assertNotNull(a.getBusinessContext().getCurrentCtr(), a.toString());
            }
        }
    }

    private static InferenceEvent inference(String id, long t) {
        return InferenceEvent.newBuilder()
                .setEventId("evt-" + id).setRequestId(id).setModelId("m").setModelVersion("1")
                .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(t))
                .setNumericFeatures(Map.of("x", 1.0)).setCategoricalFeatures(Map.of())
                .setOutputs(ModelOutputs.newBuilder().setScore(0.5).setLabel(null).setConfidence(null).build())
                .setLatencyMs(10.0).setTokensIn(null).setTokensOut(null).setCost(null).setErrorCode(null)
                .setSegment(Map.of()).build();
    }

    private static void sendOutcome(KafkaProducer<String, byte[]> producer, Topics topics, String id, OutcomeType type,
                                    long t) {
        OutcomeEvent o = OutcomeEvent.newBuilder().setRequestId(id).setType(type).setValue(null)
                .setEventTime(Instant.ofEpochMilli(t)).setAttributes(Map.of()).build();
        send(producer, topics.outcomes().name(), id, t, topics.outcomes().valueSerde().serializer()
                .serialize(topics.outcomes().name(), o));
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, long t, byte[] value) {
        producer.send(new ProducerRecord<>(topic, null, t, key, value));
    }

    private static KafkaProducer<String, byte[]> producer() {
        Map<String, Object> p = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static List<BusinessMetrics> readBusiness(Topics topics, int wanted, Duration timeout) {
        Map<String, Object> c = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "business-it-reader-" + UUID.randomUUID(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<BusinessMetrics> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topics.businessMetrics().name()));
            long deadline = System.nanoTime() + timeout.toNanos();
            while (out.size() < wanted && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    out.add(topics.businessMetrics().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                            r.value()));
                }
            }
            // Anything more than wanted would be a duplicate window: read on briefly to see it.
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofSeconds(1))) {
                out.add(topics.businessMetrics().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                        r.value()));
            }
        }
        return out;
    }

    private static void waitRunning(KafkaStreams streams) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (streams.state() != KafkaStreams.State.RUNNING) {
            if (System.nanoTime() > deadline || streams.state() == KafkaStreams.State.ERROR) {
                throw new IllegalStateException("the pipeline did not reach RUNNING (state " + streams.state() + ")");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }
}
