package dev.driftwatch.streams.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.BusinessContext;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.Severity;
import dev.driftwatch.schemas.testkit.ApicurioRegistryServer;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.tail.OutputRecords;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch alerts} and {@code driftwatch tail} on the embedded broker with a real registry
 * (Apicurio's Confluent API): alerts written in transactions as the pipeline writes them, one of them aborted.
 */
@Timeout(300)
class AlertsCommandIntegrationTest {
    private static final Instant T0 = Instant.parse("2026-11-01T09:05:00Z");
    private static final String ALERTS = "reader-alerts";
    private static final String DLQ = "reader-dlq";
    /** The follow test's own topic: what it writes would change the counts of the others. */
    private static final String FOLLOWED = "reader-followed-alerts";
    private static EmbeddedKafkaBroker kafka;
    private static ApicurioRegistryServer registry;

    @TempDir
    static Path dir;
    private static Path config;

    @BeforeAll
    static void start() throws Exception {
        registry = ApicurioRegistryServer.start();
        kafka = EmbeddedKafkaBroker.start();
        kafka.createTopics(List.of(ALERTS), 3);
        kafka.createTopics(List.of(DLQ, FOLLOWED), 1);
        config = dir.resolve("driftwatch.properties");
        Files.writeString(config, "topic.alerts=" + ALERTS + "\ntopic.dlq=" + DLQ + "\n");
        DriftwatchConfig cfg = config();
        publish(cfg, cfg.topics().alerts().valueSerde().serializer(), ALERTS, true, List.of(
                alert("al-first", AlertState.FIRING, Severity.CRITICAL, "income", T0,
                        new BusinessContext(0.031, 0.042, -0.011)),
                alert("al-second", AlertState.FIRING, Severity.WARNING, "age", T0.plusSeconds(300), null),
                alert("al-third", AlertState.RESOLVED, Severity.CRITICAL, "income", T0.plusSeconds(600), null)));
        publish(cfg, cfg.topics().alerts().valueSerde().serializer(), ALERTS, false, List.of(
                alert("al-aborted", AlertState.FIRING, Severity.CRITICAL, "device", T0.plusSeconds(600), null)));
        publish(cfg, cfg.topics().deadLetters().valueSerde().serializer(), DLQ, true,
                List.of(OutputRecords.deadLetter()));
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    private static DriftwatchConfig config() {
        return DriftwatchConfig.load(config, Map.of(), Map.of("bootstrap.servers", kafka.bootstrapServers(),
                "schema.registry.url", registry.confluentApiUrl()));
    }

    private static String[] args(String... more) {
        List<String> all = new java.util.ArrayList<>(List.of(more));
        all.addAll(List.of("--config", config.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--schema-registry-url", registry.confluentApiUrl()));
        return all.toArray(String[]::new);
    }

    @Test
    void shouldPrintTheCommittedAlertsOneLineEach() {
        CliRun run = CliRun.of(args("alerts"));
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        List<String> lines = run.lines().stream().sorted().toList();
        assertEquals(3, lines.size(), run.out());
        assertEquals("2026-11-01T09:05:00Z FIRING   CRITICAL ctr-model/1.5.0 income: psi 0.4123 (threshold 0.25,"
                + " adjusted p 3.200e-11), n 400 vs 4000, CTR 0.031 vs baseline 0.042 (-0.011), al-first", lines.get(0));
        assertTrue(lines.get(1).startsWith("2026-11-01T09:10:00Z FIRING   WARNING  ctr-model/1.5.0 age: psi 0.4123")
                && lines.get(1).endsWith(", al-second"), lines.get(1));
        assertTrue(lines.get(2).startsWith("2026-11-01T09:15:00Z RESOLVED CRITICAL ctr-model/1.5.0 income:"),
                lines.get(2));
        assertTrue(run.out().lines().noneMatch(l -> l.contains("al-aborted")), "read_committed: " + run.out());
    }

    @Test
    void shouldWriteOneJsonObjectPerAlertAndFilterBySubjectAndTime() throws Exception {
        CliRun run = CliRun.of(args("alerts", "--format", "json", "--subject", "income", "--since",
                "2026-11-01T09:10:00Z"));
        assertEquals(0, run.exit(), run.err());
        assertEquals(1, run.lines().size(), run.out());
        JsonNode alert = new ObjectMapper().readTree(run.lines().get(0));
        assertEquals("al-third", alert.path("alertId").asText());
        assertEquals("RESOLVED", alert.path("state").asText());
        assertEquals("2026-11-01T09:15:00Z", alert.path("windowEnd").asText());
        assertEquals(ALERTS, alert.path("kafka").path("topic").asText());
        assertEquals("ctr-model/1.5.0/income", alert.path("kafka").path("key").asText());

        CliRun model = CliRun.of(args("alerts", "--model", "ctr-model", "--version", "9.9"));
        assertEquals(0, model.exit(), model.err());
        assertEquals("", model.out(), "no alert of version 9.9");
    }

    @Test
    void shouldExitOneWhenFewerThanMaxAlertsArriveInTime() {
        CliRun enough = CliRun.of(args("alerts", "--max", "2", "--timeout", "60s"));
        assertEquals(0, enough.exit(), enough.err());
        assertEquals(2, enough.lines().size(), enough.out());

        CliRun tooFew = CliRun.of(args("alerts", "--max", "4", "--timeout", "3s"));
        assertEquals(TailCommand.EXIT_TOO_FEW, tooFew.exit(), tooFew.err());
        assertEquals(3, tooFew.lines().size(), tooFew.out());
        assertEquals("driftwatch alerts: 3 of 4 records within 3s", tooFew.err().trim());
    }

    @Test
    void shouldFollowFromTheEndAndPrintOnlyNewAlerts() throws Exception {
        DriftwatchConfig cfg = config();
        Serializer<DriftAlert> serializer = cfg.topics().alerts().valueSerde().serializer();
        publish(cfg, serializer, FOLLOWED, true, List.of(alert("al-old", AlertState.FIRING, Severity.WARNING,
                "age", T0, null)));
        Path followed = dir.resolve("followed.properties");
        Files.writeString(followed, "topic.alerts=" + FOLLOWED + "\n");
        CompletableFuture<CliRun> follow = CompletableFuture.supplyAsync(() -> CliRun.of("alerts", "--follow",
                "--max", "1", "--timeout", "120s", "--config", followed.toString(), "--bootstrap-servers",
                kafka.bootstrapServers(), "--schema-registry-url", registry.confluentApiUrl()));
        // the reader may still be finding the end: write until it has read one
        while (!follow.isDone()) {
            publish(cfg, serializer, FOLLOWED, true, List.of(alert("al-new", AlertState.FIRING, Severity.WARNING,
                    "session_seconds", T0.plusSeconds(900), null)));
            try {
                follow.get(1, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                // not yet
            }
        }
        CliRun run = follow.get();
        assertEquals(0, run.exit(), run.err());
        assertEquals(1, run.lines().size(), run.out());
        assertTrue(run.lines().get(0).endsWith(", al-new"), "starts at the end, not at al-old: " + run.out());
    }

    @Test
    void shouldShowTheReasonAndOriginOfDeadLetters() {
        CliRun run = CliRun.of(args("tail", "--topic", "dlq"));
        assertEquals(0, run.exit(), run.err());
        assertEquals(List.of("2026-11-01T09:00:03Z DEAD-LETTER WRONG_MAGIC_BYTE from inference-events/2@1234: first"
                + " byte 0x6e is not the magic byte 0"), run.lines());
    }

    @Test
    void shouldSayInOneLineThatATopicIsMissing() {
        CliRun run = CliRun.of(args("tail", "--topic", "service-levels"));
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, run.exit());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("driftwatch tail: topic 'driftwatch-service-levels' (topic.service.levels)"
                + " does not exist"), run.err());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void publish(DriftwatchConfig cfg, Serializer serializer, String topic, boolean commit,
                                List<? extends SpecificRecord> records) {
        Properties props = cfg.producerProperties();
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "reader-test-" + java.util.UUID.randomUUID());
        try (KafkaProducer<String, Object> producer = new KafkaProducer<>(props, new StringSerializer(), serializer)) {
            producer.initTransactions();
            producer.beginTransaction();
            for (SpecificRecord r : records) {
                long time = r instanceof DriftAlert a ? a.getWindowEnd().toEpochMilli() : System.currentTimeMillis();
                String key = r instanceof DriftAlert a ? a.getModelId() + "/" + a.getModelVersion() + "/"
                        + a.getSubject() : "req-7";
                producer.send(new ProducerRecord<>(topic, null, time, key, r));
            }
            producer.flush();
            if (commit) {
                producer.commitTransaction();
            } else {
                producer.abortTransaction();
            }
        }
    }

    private static DriftAlert alert(String id, AlertState state, Severity severity, String subject, Instant end,
                                    BusinessContext context) {
        return OutputRecords.alert(id, state, severity, subject, end, context);
    }
}
