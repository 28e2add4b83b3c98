package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.FeatureKind;
import dev.driftwatch.schemas.serde.AvroSerdes;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** {@code driftwatch baseline} against a real broker, read back with the Avro deserializer. */
@Timeout(180)
class BaselineCommandIntegrationTest {
    private static final String REGISTRY = "mock://baseline-command-it";
    private static EmbeddedKafkaBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
        kafka.createTopics(List.of("driftwatch-baselines", "team-baselines"), 1);
        // The commands run in this JVM and share its in-memory registry (a command on its own is refused one)
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf(REGISTRY));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path config() throws IOException {
        Path file = dir.resolve("driftwatch.properties");
        Files.writeString(file, "bootstrap.servers=" + kafka.bootstrapServers() + "\nschema.registry.url=" + REGISTRY
                + "\nkafka.client.dns.lookup=use_all_dns_ips\n");
        return file;
    }

    @Test
    void shouldPublishOneBaselinePerColumnKeyedByModelVersionAndSubject() throws IOException {
        Path csv = dir.resolve("train.csv");
        StringBuilder rows = new StringBuilder("latency,plan,output.score\n");
        for (int i = 0; i < 200; i++) {
            rows.append(i % 50 == 0 ? "" : String.valueOf(i * 1.5)).append(',')
                    .append(i % 3 == 0 ? "free" : "pro").append(',')
                    .append(i / 200.0).append('\n');
        }
        Files.writeString(csv, rows);

        CliRun r = CliRun.of("baseline", "--config", config().toString(), "--input", csv.toString(), "--model", "ranker",
                "--version", "v3");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("published 3 baselines of model ranker version v3 to driftwatch-baselines"), r.out());

        Map<String, Baseline> read = readAll("driftwatch-baselines", 3);
        assertEquals(List.of("ranker/v3/latency", "ranker/v3/plan", "ranker/v3/output.score"),
                List.copyOf(read.keySet()));
        Baseline latency = read.get("ranker/v3/latency");
        assertEquals(FeatureKind.NUMERIC, latency.getKind());
        assertEquals(196, latency.getTotalCount());
        assertEquals(4, latency.getMissingCount());
        assertEquals(10, latency.getBinCounts().size());
        assertEquals("file:train.csv", latency.getProvenance().getSource());
        assertTrue(r.out().contains(latency.getBaselineId()), r.out());
        Baseline plan = read.get("ranker/v3/plan");
        assertEquals(FeatureKind.CATEGORICAL, plan.getKind());
        assertEquals(Map.of("free", 67L, "pro", 133L), plan.getCategoryCounts());
        assertNull(plan.getFineGrid());
        assertEquals(FeatureKind.NUMERIC, read.get("ranker/v3/output.score").getKind());
        assertEquals(200, read.get("ranker/v3/output.score").getTotalCount());
    }

    @Test
    void shouldPublishToTheTopicGivenOnTheCommandLine() throws IOException {
        Path csv = dir.resolve("small.csv");
        Files.writeString(csv, "x\n1\n2\n3\n");
        CliRun r = CliRun.of("baseline", "--input", csv.toString(), "--model", "m", "--version", "1",
                "--bootstrap-servers", kafka.bootstrapServers(), "--topic", "team-baselines",
                "--config", config().toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(List.of("m/1/x"), List.copyOf(readAll("team-baselines", 1).keySet()));
    }

    @Test
    void shouldNameAMissingTopicAndHowToCreateIt() throws IOException {
        Path csv = dir.resolve("small.csv");
        Files.writeString(csv, "x\n1\n2\n3\n");
        CliRun r = CliRun.of("baseline", "--config", config().toString(), "--input", csv.toString(), "--model", "m",
                "--version", "1", "--topic", "no-such-baselines");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("topic 'no-such-baselines' (topic.baselines) does not exist"), r.err());
        assertTrue(r.err().contains("cleanup.policy=compact"), r.err());
    }

    private static Map<String, Baseline> readAll(String topic, int expected) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "baseline-it-" + topic);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        Deserializer<Baseline> values = AvroSerdes.specific(Baseline.class,
                Map.of("schema.registry.url", REGISTRY), false).deserializer();
        Map<String, Baseline> read = new LinkedHashMap<>();
        try (KafkaConsumer<String, Baseline> consumer =
                     new KafkaConsumer<>(props, new StringDeserializer(), values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (read.size() < expected) {
                if (System.nanoTime() > deadline) {
                    fail("read " + read.size() + " of " + expected + " baselines from " + topic + " within 60 s");
                }
                consumer.poll(Duration.ofMillis(500)).forEach(rec -> read.put(rec.key(), rec.value()));
            }
        }
        return read;
    }
}
