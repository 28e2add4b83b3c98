package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.DriftRecords;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.analyze.OfflineAnalysis;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.demo.DemoRun;
import dev.driftwatch.streams.demo.DemoTraffic;
import dev.driftwatch.streams.demo.SampleTraffic;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.replay.AvroRecords;
import dev.driftwatch.streams.replay.BadRecords;
import dev.driftwatch.streams.replay.EventFileReader;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Replay on a real broker: sample traffic published live (replay --input) and run through the
 * pipeline; the same traffic copied from that topic (replay --from-topic) into a fresh topic with
 * another partition count and run by a new application gives the same alerts with the same ids and the
 * same window statistics; and analyze gives them too, without a broker.
 */
class ReplayCommandIntegrationTest {
    private static final long SEED = 11;
    private static final SampleTraffic.Plan PLAN = new SampleTraffic.Plan(4, 400, 2, Duration.ofMinutes(1),
            Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), SEED);
    /**
     * Drift records per window: 2 versions × (6 numeric + 3 categorical features + 3 outputs + the 3 operational
     * subjects the sample's events carry); the data-quality records beside them are compared, not counted.
     */
    private static final int EXPECTED_STATS = PLAN.windows() * 2 * (DemoRun.subjectsPerWindow() + 3);
    /**
     * Doubles are compared within 1e-9 relative: a window's summary is merged from the partitions'
     * summaries, and sums of doubles added in another order may differ in the last bits.
     */
    private static final double TOLERANCE = 1e-9;

    private static EmbeddedKafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = EmbeddedKafkaBroker.start();
        // The commands run in this JVM and share its in-memory registry (a command on its own is refused one)
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf("mock://aged"));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private record Run(List<WindowStats> stats, List<DriftAlert> alerts) {
    }

    @Test
    @Timeout(90)
    void shouldGiveTheSameAlertIdsAndStatisticsWhenReplayedFromTheTopicAndWhenAnalyzedOffline() throws Exception {
        String registry = "mock://replay-it-" + UUID.randomUUID();
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf(registry)); // the pipeline runs in this JVM
        Path traffic = dir.resolve("traffic.avro");
        CliRun sample = CliRun.of("sample", "--output", traffic.toString(), "--windows", "" + PLAN.windows(),
                "--events-per-window", "" + PLAN.eventsPerWindow(), "--drift-from", "" + PLAN.driftFromWindow(),
                "--seed", "" + SEED, "--window-size", "PT1M", "--start", "2026-11-01T09:00:00Z");
        assertEquals(0, sample.exit(), sample.err());
        List<Baseline> baselines = SampleTraffic.baselines(SEED, 5000);

        broker.createTopics(List.of("live-events"), 2);
        broker.createTopics(List.of("replayed-events"), 3);
        broker.createTopics(List.of("rp-baselines", "live-stats", "live-alerts", "live-dlq", "replayed-stats",
                "replayed-alerts", "replayed-dlq", "live-dlq-control", "live-dlq-control-results",
                "replayed-dlq-control", "replayed-dlq-control-results"), 1);
        Path live = config("live", registry, "live-events", "live-stats", "live-alerts", "live-dlq");
        Path replayed = config("replayed", registry, "replayed-events", "replayed-stats", "replayed-alerts",
                "replayed-dlq");
        publish(DriftwatchConfig.load(live), baselines);

        // First pass: the traffic published as it would be live, and the pipeline over it.
        CliRun toLive = CliRun.of("replay", "--input", traffic.toString(), "--config", live.toString(),
                "--close-windows");
        assertEquals(0, toLive.exit(), toLive.err());
        assertTrue(toLive.out().contains("replayed 3,200 events to live-events"), toLive.out());
        Run first = runPipeline(DriftwatchConfig.load(live), 2);

        // Second pass: the same traffic read back from the topic into a fresh one, a new application.
        CliRun copy = CliRun.of("replay", "--from-topic", "live-events", "--config", replayed.toString(),
                "--close-windows");
        assertEquals(0, copy.exit(), copy.err());
        assertTrue(copy.out().contains("copied 3,202 events to replayed-events"), copy.out());
        Run second = runPipeline(DriftwatchConfig.load(replayed), 3);
        CliRun bounded = CliRun.of("replay", "--from-topic", "live-events", "--config", replayed.toString(),
                "--dry-run", "--start", "2026-11-01T09:02:00Z", "--end", "2026-11-01T09:03:00Z");
        assertEquals(0, bounded.exit(), bounded.err());
        assertTrue(bounded.out().contains("dry run: 800 records read from live-events, 2,402 outside --start/--end,"
                + " 0 bad records"), bounded.out());

        List<String> firstIds = first.alerts().stream().map(DriftAlert::getAlertId).sorted().toList();
        List<String> secondIds = second.alerts().stream().map(DriftAlert::getAlertId).sorted().toList();
        assertFalse(firstIds.isEmpty());
        assertEquals(firstIds, secondIds);
        Set<String> firing = first.alerts().stream()
                .filter(a -> a.getState() == AlertState.FIRING && !a.getSubject().startsWith("output.")
                        && !a.getSubject().startsWith("*"))
                .map(DriftAlert::getSubject).collect(Collectors.toCollection(TreeSet::new));
        assertTrue(firing.containsAll(DemoTraffic.DRIFTING_FEATURES), firing.toString());
        assertSame(first, second, "replay from the topic");

        // Offline: analyze's topology over the file equals the live pipeline.
        BadRecords bad = new BadRecords();
        OfflineAnalysis.Result offline = OfflineAnalysis.run(DriftwatchConfig.load(live).pipelineSettings(1),
                baselines, sink -> EventFileReader.open(traffic).read(sink, bad));
        assertEquals(0, bad.count());
        assertEquals(3200, offline.events());
        assertSame(first, new Run(offline.stats(), offline.alerts()), "analyze");
    }

    /**
     * Replaying history older than a topic's retention.ms would lose it at the broker's next retention
     * check: replay stops before the first such event and names the topic and the fix, whether the short
     * retention is the events topic's or an output topic's; --ignore-retention publishes anyway.
     */
    @Test
    @Timeout(60)
    void shouldStopBeforeAnEventThatATopicWouldDeleteByAge() throws Exception {
        Path old = dir.resolve("old.avro");
        CliRun sample = CliRun.of("sample", "--output", old.toString(), "--windows", "2", "--events-per-window", "50",
                "--seed", "5", "--window-size", "PT1M", "--start", "2020-01-01T00:00:00Z");
        assertEquals(0, sample.exit(), sample.err());
        long week = Duration.ofDays(7).toMillis();
        try (var admin = broker.admin()) {
            admin.createTopics(List.of(
                    new org.apache.kafka.clients.admin.NewTopic("aged-events", 1, (short) 1)
                            .configs(Map.of("retention.ms", Long.toString(week))),
                    new org.apache.kafka.clients.admin.NewTopic("kept-events", 1, (short) 1),
                    new org.apache.kafka.clients.admin.NewTopic("aged-stats", 1, (short) 1)
                            .configs(Map.of("retention.ms", Long.toString(30 * 24 * 3_600_000L))))).all().get();
        }
        Path aged = config("aged", "mock://aged", "aged-events", "kept-stats", "kept-alerts", "kept-dlq");
        CliRun refused = CliRun.of("replay", "--input", old.toString(), "--config", aged.toString());
        assertEquals(2, refused.exit(), refused.out());
        assertTrue(refused.err().contains("an event of 2020-01-01T00:00:00Z is older than topic aged-events keeps"
                + " records (retention.ms=604800000, 168h"), refused.err());
        assertTrue(refused.err().contains("0 events were published before it")
                && refused.err().contains("--add-config retention.ms=-1") && refused.err().contains("--ignore-retention"),
                refused.err());
        assertEquals(0L, endOffset("aged-events"));

        // The events topic keeps everything, but the statistics made from the events would go.
        Path outputs = config("outputs", "mock://aged", "kept-events", "aged-stats", "kept-alerts", "kept-dlq");
        CliRun refusedForOutputs = CliRun.of("replay", "--input", old.toString(), "--config", outputs.toString());
        assertEquals(2, refusedForOutputs.exit(), refusedForOutputs.out());
        assertTrue(refusedForOutputs.err().contains("older than topic aged-stats keeps records (retention.ms=2592000000"),
                refusedForOutputs.err());
        assertEquals(0L, endOffset("kept-events"));

        CliRun forced = CliRun.of("replay", "--input", old.toString(), "--config", aged.toString(),
                "--ignore-retention");
        assertEquals(0, forced.exit(), forced.err());
        assertTrue(forced.out().contains("replayed 200 events to aged-events"), forced.out());
    }

    private static long endOffset(String topic) throws Exception {
        try (var admin = broker.admin()) {
            var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            return admin.listOffsets(Map.of(tp, org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get()
                    .get(tp).offset();
        }
    }

    private static void assertSame(Run expected, Run actual, String what) {
        assertEquals(EXPECTED_STATS, driftCount(actual.stats()), what);
        assertEquals(expected.stats().size(), actual.stats().size(), what);
        assertEquals(expected.alerts().size(), actual.alerts().size(), what);
        // The drift and the data-quality record of a subject share its key: the kind tells them apart.
        Map<String, WindowStats> stats = byKey(actual.stats(), s -> s.getSubjectKind() + "|" + s.getModelVersion()
                + "|" + s.getSubject() + "|" + s.getWindowStart());
        for (WindowStats s : expected.stats()) {
            WindowStats other = stats.get(s.getSubjectKind() + "|" + s.getModelVersion() + "|" + s.getSubject() + "|"
                    + s.getWindowStart());
            assertTrue(other != null, what + ": no statistics for " + s);
            List<String> diff = AvroRecords.differences(s, other, TOLERANCE);
            assertTrue(diff.isEmpty(), what + ": " + diff);
        }
        Map<String, DriftAlert> alerts = byKey(actual.alerts(), DriftAlert::getAlertId);
        for (DriftAlert a : expected.alerts()) {
            List<String> diff = AvroRecords.differences(a, alerts.get(a.getAlertId()), TOLERANCE);
            assertTrue(diff.isEmpty(), what + ": " + diff);
        }
    }

    private static long driftCount(List<WindowStats> stats) {
        return stats.stream().filter(DriftRecords::isDrift).count();
    }

    private static <T> Map<String, T> byKey(List<T> list, Function<T, String> key) {
        Map<String, T> out = new java.util.HashMap<>();
        for (T t : list) {
            assertTrue(out.put(key.apply(t), t) == null, "duplicate " + key.apply(t));
        }
        return out;
    }

    private Path config(String name, String registry, String events, String stats, String alerts, String dlq)
            throws IOException {
        Path file = dir.resolve(name + ".properties");
        Files.writeString(file, String.join("\n",
                "bootstrap.servers=" + broker.bootstrapServers(),
                "application.id=replay-it-" + name + "-" + UUID.randomUUID().toString().substring(0, 8),
                "schema.registry.url=" + registry,
                "state.dir=" + dir.resolve("state-" + name),
                "http.port=0", // a free port: the default one may be taken
                "topic.inference.events=" + events,
                "topic.baselines=rp-baselines",
                "topic.window.stats=" + stats,
                "topic.alerts=" + alerts,
                "topic.dlq=" + dlq,
                "topic.control=" + dlq + "-control",
                "topic.control.results=" + dlq + "-control-results",
                "window.size.ms=60000",
                "window.grace.ms=5000",
                "commit.interval.ms=200",
                "consumer.auto.offset.reset=earliest") + "\n");
        return file;
    }

    private static void publish(DriftwatchConfig cfg, List<Baseline> baselines) {
        try (KafkaProducer<String, Baseline> producer = new KafkaProducer<>(cfg.producerProperties(),
                new StringSerializer(), cfg.topics().baselines().valueSerde().serializer())) {
            for (Baseline b : baselines) {
                producer.send(new ProducerRecord<>(cfg.baselinesTopic(),
                        BaselineCodec.key(b.getModelId(), b.getModelVersion(), b.getFeature()), b));
            }
            producer.flush();
        }
    }

    private static Run runPipeline(DriftwatchConfig cfg, int partitions) throws InterruptedException {
        List<WindowStats> stats = new ArrayList<>();
        List<DriftAlert> alerts = new ArrayList<>();
        try (DriftwatchApp app = DriftwatchApp.start(cfg, cfg.pipelineSettings(partitions));
             KafkaConsumer<String, byte[]> consumer = reader(cfg)) {
            assertTrue(app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(30)), "state " + app.state());
            consumer.subscribe(List.of(cfg.windowStatsTopic(), cfg.alertsTopic()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            long quietUntil = Long.MAX_VALUE;
            while (System.nanoTime() < deadline && System.nanoTime() < quietUntil) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(cfg.alertsTopic())) {
                        alerts.add(cfg.topics().alerts().valueSerde().deserializer().deserialize(r.topic(), r.headers(),
                                r.value()));
                    } else {
                        stats.add(cfg.topics().windowStats().valueSerde().deserializer().deserialize(r.topic(),
                                r.headers(), r.value()));
                    }
                }
                if (driftCount(stats) >= EXPECTED_STATS && quietUntil == Long.MAX_VALUE) {
                    // Alerts are committed in the same transaction as their window's statistics; read a
                    // little longer only to see that nothing more arrives.
                    quietUntil = System.nanoTime() + Duration.ofSeconds(1).toNanos();
                }
            }
        }
        assertEquals(EXPECTED_STATS, driftCount(stats), () -> "window statistics of " + cfg.applicationId() + ": "
                + stats.stream().collect(Collectors.groupingBy(s -> s.getSubjectKind() + " " + s.getModelVersion()
                        + " " + s.getWindowStart(), java.util.TreeMap::new, Collectors.counting())));
        stats.sort(Comparator.comparing((WindowStats s) -> s.getWindowStart()).thenComparing(WindowStats::getSubject)
                .thenComparing(s -> String.valueOf(s.getSubjectKind())));
        return new Run(stats, alerts);
    }

    private static KafkaConsumer<String, byte[]> reader(DriftwatchConfig cfg) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cfg.requireBootstrapServers());
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "replay-it-reader-" + UUID.randomUUID());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
