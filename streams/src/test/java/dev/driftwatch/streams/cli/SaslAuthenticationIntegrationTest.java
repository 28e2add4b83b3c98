package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broker whose listener needs SASL/PLAIN: the kafka.security.protocol, kafka.sasl.mechanism and
 * kafka.sasl.jaas.config settings pass through to every client (admin, producer, Kafka Streams); the
 * right credentials work, wrong ones fail with a message that names the authentication failure; and
 * no password shows in what the commands print or log.
 */
@Timeout(240)
class SaslAuthenticationIntegrationTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-Pa55-7f3c9e";
    private static final String WRONG_PASSWORD = "not-alices-Pa55-2b81d4";
    private static EmbeddedKafkaBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.startWithSaslPlain(Map.of(USER, PASSWORD), Map.of("auto.create.topics.enable", "false"));
        // The commands run in this JVM and share its in-memory registry (a command on its own is refused one)
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf("mock://sasl-it"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path config(String password) throws IOException {
        Path file = dir.resolve("sasl-" + password.hashCode() + ".properties");
        Properties props = new Properties();
        settings(password).forEach(props::setProperty);
        try (var out = Files.newBufferedWriter(file)) {
            props.store(out, null);
        }
        return file;
    }

    private Map<String, String> settings(String password) {
        Map<String, String> s = new HashMap<>();
        s.put("bootstrap.servers", kafka.bootstrapServers());
        s.put("application.id", "sasl-it");
        s.put("schema.registry.url", "mock://sasl-it");
        s.put("state.dir", dir.resolve("state").toString());
        s.put("topic.inference.events", "sasl-events");
        s.put("topic.baselines", "sasl-baselines");
        s.put("topic.window.stats", "sasl-stats");
        s.put("topic.alerts", "sasl-alerts");
        s.put("topic.dlq", "sasl-dlq");
        s.put("kafka.replication.factor", "1");
        s.put("http.enabled", "false");
        s.put("kafka.security.protocol", "SASL_PLAINTEXT");
        s.put("kafka.sasl.mechanism", "PLAIN");
        s.put("kafka.sasl.jaas.config", EmbeddedKafkaBroker.plainJaasConfig(USER, password));
        return s;
    }

    @Test
    void shouldWorkWithTheRightCredentialsThroughEveryClient() throws Exception {
        Path file = config(PASSWORD);
        CliRun.Captured check = CliRun.captured("run", "--config", file.toString(), "--create-topics",
                "--partitions", "1", "--check");
        assertEquals(0, check.run().exit(), check.all());
        assertTrue(check.run().out().contains("created topic sasl-baselines (compacted)"), check.all());

        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, "x,colour\n1.0,red\n2.0,blue\n3.0,red\n4.5,green\n");
        CliRun.Captured baseline = CliRun.captured("baseline", "--input", csv.toString(), "--model", "m",
                "--version", "1", "--config", file.toString());
        assertEquals(0, baseline.run().exit(), baseline.all());
        assertTrue(baseline.run().out().contains("published 2 baselines"), baseline.all());

        DriftwatchConfig config = new DriftwatchConfig(settings(PASSWORD));
        assertFalse(config.describe().contains(PASSWORD));
        assertFalse(config.toString().contains(PASSWORD));
        try (DriftwatchApp app = DriftwatchApp.start(config, config.pipelineSettings(1))) {
            assertTrue(app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(90)),
                    "state " + app.state() + ", failure " + app.failure());
        }
        assertFalse(check.all().contains(PASSWORD) || baseline.all().contains(PASSWORD));
    }

    @Test
    void shouldFailWithAClearMessageAndNoPasswordWhenTheCredentialsAreWrong() throws Exception {
        Path file = config(WRONG_PASSWORD);
        long start = System.nanoTime();
        CliRun.Captured check = CliRun.captured("run", "--config", file.toString(), "--check");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, check.run().exit(), check.all());
        String line = check.run().err().lines().filter(l -> l.startsWith("driftwatch run: ") && !l.contains("warning:"))
                .findFirst()
                .orElse(check.all());
        assertTrue(line.contains("authentication failed at Kafka bootstrap.servers=" + kafka.bootstrapServers()), line);
        assertTrue(line.contains("kafka.sasl.jaas.config"), line);
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "took " + took);
        assertFalse(check.all().contains(WRONG_PASSWORD), check.all());

        Path csv = dir.resolve("train.csv");
        Files.writeString(csv, "x\n1.0\n2.0\n");
        CliRun.Captured baseline = CliRun.captured("baseline", "--input", csv.toString(), "--model", "m",
                "--version", "1", "--config", file.toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, baseline.run().exit(), baseline.all());
        assertTrue(baseline.run().err().contains("uthentication failed"), baseline.all());
        assertFalse(baseline.all().contains(WRONG_PASSWORD), baseline.all());
    }
}
