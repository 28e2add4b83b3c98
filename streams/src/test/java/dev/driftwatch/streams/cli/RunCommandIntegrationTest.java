package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code driftwatch run}'s checks before it starts, and {@link DriftwatchApp} on a real broker. */
@Timeout(240)
class RunCommandIntegrationTest {
    private static EmbeddedKafkaBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
        // The commands run in this JVM and share its in-memory registry (the default one)
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf("mock://driftwatch"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private Path config(String... lines) throws IOException {
        Path file = dir.resolve("driftwatch.properties");
        Files.writeString(file, String.join("\n", lines) + "\n");
        return file;
    }

    @Test
    void shouldFailWithinBoundedTimeNamingBootstrapServersWhenNothingListens() throws IOException {
        long start = System.nanoTime();
        CliRun r = CliRun.of("run", "--config", config("bootstrap.servers=127.0.0.1:1").toString());
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        assertTrue(took.compareTo(Duration.ofSeconds(25)) < 0, "took " + took);
        assertTrue(r.err().contains("driftwatch run: no answer from Kafka at bootstrap.servers=127.0.0.1:1"), r.err());
    }

    @Test
    void shouldFailWithoutBootstrapServersOrWithABadValue() throws IOException {
        CliRun none = CliRun.of("run", "--config", config("application.id=x").toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, none.exit());
        assertTrue(none.err().contains("bootstrap.servers is not set"), none.err());
        CliRun bad = CliRun.of("run", "--config", config("bootstrap.servers=" + kafka.bootstrapServers(),
                "window.size.ms=0").toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, bad.exit());
        assertTrue(bad.err().contains("Invalid value 0 for configuration window.size.ms"), bad.err());
        assertTrue(bad.err().contains("(set in " + dir.resolve("driftwatch.properties") + ")"), bad.err());
    }

    @Test
    void shouldNameAMissingTopicAndHowToCreateIt() throws IOException {
        CliRun r = CliRun.of("run", "--config", config("bootstrap.servers=" + kafka.bootstrapServers(),
                "topic.inference.events=missing-events", "topic.baselines=missing-baselines").toString());
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        String line = r.err().lines().filter(l -> l.startsWith("driftwatch run: topics ")).findFirst().orElse(r.err());
        assertTrue(line.contains("'missing-events' (topic.inference.events)"), line);
        assertTrue(line.contains("'missing-baselines' (topic.baselines)"), line);
        assertTrue(line.contains("--create-topics"), line);
    }

    @Test
    void shouldCreateMissingTopicsWithACompactedBaselinesTopicWhenAsked() throws Exception {
        Path file = config("bootstrap.servers=" + kafka.bootstrapServers(), "application.id=create-check",
                "topic.inference.events=cc-events", "topic.baselines=cc-baselines", "topic.window.stats=cc-stats",
                "topic.alerts=cc-alerts", "topic.dlq=cc-dlq");
        CliRun r = CliRun.of("run", "--config", file.toString(), "--create-topics", "--partitions", "3", "--check");
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().contains("created topic cc-baselines (compacted)"), r.out());
        assertTrue(r.out().contains("reads cc-events (3 partitions)"), r.out());
        try (Admin admin = kafka.admin()) {
            assertTrue(admin.listTopics().names().get(30, TimeUnit.SECONDS)
                    .containsAll(Set.of("cc-events", "cc-baselines", "cc-stats", "cc-alerts", "cc-dlq")));
            ConfigResource baselines = new ConfigResource(ConfigResource.Type.TOPIC, "cc-baselines");
            Config topicConfig = admin.describeConfigs(List.of(baselines)).all().get(30, TimeUnit.SECONDS)
                    .get(baselines);
            assertEquals("compact", topicConfig.get("cleanup.policy").value());
        }
        CliRun again = CliRun.of("run", "--config", file.toString(), "--check");
        assertEquals(0, again.exit(), again.out() + again.err());
        Files.writeString(file, "input.partitions=2\n", java.nio.file.StandardOpenOption.APPEND);
        CliRun wrongCount = CliRun.of("run", "--config", file.toString(), "--check");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, wrongCount.exit());
        assertTrue(wrongCount.err().contains("input.partitions=2 but topic 'cc-events' has 3 partitions"),
                wrongCount.err());
    }

    @Test
    void shouldStartTheAppUntilRunningAndStopItCleanly() throws Exception {
        kafka.createTopics(List.of("app-events", "app-baselines", "app-stats", "app-alerts", "app-dlq", "app-control",
                "app-control-results"), 2);
        Map<String, String> settings = new java.util.HashMap<>(Map.of(
                "bootstrap.servers", kafka.bootstrapServers(),
                "application.id", "run-it-app",
                "schema.registry.url", "mock://run-it-app",
                "state.dir", dir.resolve("state").toString(),
                "topic.inference.events", "app-events", "topic.baselines", "app-baselines",
                "topic.window.stats", "app-stats", "topic.alerts", "app-alerts", "topic.dlq", "app-dlq",
                "kafka.replication.factor", "1"));
        settings.put("topic.control", "app-control");
        settings.put("topic.control.results", "app-control-results");
        settings.put("http.port", "0");
        DriftwatchConfig config = new DriftwatchConfig(settings);
        try (DriftwatchApp app = DriftwatchApp.start(config, config.pipelineSettings(2))) {
            assertTrue(app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(90)),
                    "state " + app.state() + ", failure " + app.failure());
            assertTrue(app.close(Duration.ofSeconds(60)));
            assertEquals(KafkaStreams.State.NOT_RUNNING, app.awaitTermination());
            assertTrue(app.failure().isEmpty());
        }
    }

    @Test
    void shouldLogTheSettingsAtStartWithoutAnyPassword() throws Exception {
        kafka.createTopics(List.of("sec-events", "sec-baselines", "sec-stats", "sec-alerts", "sec-dlq", "sec-control",
                "sec-control-results"), 1);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // The HTTP port is taken, so that run stops with exit 2 right after logging its settings (and --check
            // says so too).
            Path file = config("bootstrap.servers=" + kafka.bootstrapServers(), "application.id=secrets-it",
                    "schema.registry.url=http://svc:Registry-S3cret@127.0.0.1:1/apis/ccompat/v7",
                    "state.dir=" + dir.resolve("state"), "http.port=" + taken.getLocalPort(),
                    "topic.inference.events=sec-events", "topic.baselines=sec-baselines",
                    "topic.window.stats=sec-stats", "topic.alerts=sec-alerts", "topic.dlq=sec-dlq",
                    "topic.control=sec-control", "topic.control.results=sec-control-results",
                    "kafka.ssl.key.password=Key-S3cret", "my.service.token=Token-S3cret");
            CliRun.Captured check = CliRun.captured("run", "--config", file.toString(), "--check");
            CliRun.Captured run = CliRun.captured("run", "--config", file.toString());

            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, check.run().exit(), check.all());
            assertTrue(check.run().err().contains("http.port"), check.all());
            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, run.run().exit(), run.all());
            assertTrue(run.run().err().contains("http.port"), run.all());
            assertTrue(run.stderr().contains("driftwatch settings (secrets hidden)"), "the settings are logged: " + run.all());
            assertTrue(run.stderr().contains("schema.registry.url=http://svc:[hidden]@127.0.0.1:1/apis/ccompat/v7"),
                    run.all());
            for (String secret : List.of("Registry-S3cret", "Key-S3cret", "Token-S3cret")) {
                assertFalse(check.all().contains(secret) || run.all().contains(secret), secret + " leaked: "
                        + check.all() + run.all());
            }
        }
    }
}
