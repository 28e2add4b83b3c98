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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code driftwatch ctl} against the pipeline running on a real (in-process KRaft) broker. */
@Timeout(240)
class CtlCommandIntegrationTest {
    private static final String REGISTRY = "mock://ctl-command-it";
    private static EmbeddedKafkaBroker kafka;

    @TempDir
    static Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
        kafka.createTopics(List.of("inference-events", "driftwatch-baselines", "driftwatch-window-stats",
                "driftwatch-alerts", "driftwatch-dlq", "driftwatch-control", "driftwatch-control-results"), 1);
        // The commands run in this JVM and share its in-memory registry (a command on its own is refused one)
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf(REGISTRY));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldWriteACommandAndPrintItsResultWithTheExitStatusOfItsStatus() throws Exception {
        Path config = dir.resolve("driftwatch.properties");
        Files.writeString(config, String.join("\n",
                "bootstrap.servers=" + kafka.bootstrapServers(),
                "application.id=ctl-it",
                "schema.registry.url=" + REGISTRY,
                "state.dir=" + dir.resolve("state"),
                "http.port=0", // a free port: the default one may be taken
                "kafka.replication.factor=1",
                "kafka.commit.interval.ms=100") + "\n");
        DriftwatchConfig cfg = DriftwatchConfig.load(config);
        try (DriftwatchApp app = DriftwatchApp.start(cfg, cfg.pipelineSettings(1))) {
            assertTrue(app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(90)),
                    "state " + app.state() + ", failure " + app.failure());

            CliRun mute = CliRun.of("ctl", "mute", "--model", "churn", "--version", "7", "--subject", "age",
                    "--until", "2099-01-01T00:00:00Z", "--command-id", "it-mute-1", "--config", config.toString(),
                    "--timeout", "90s");
            assertEquals(0, mute.exit(), mute.out() + mute.err());
            assertTrue(mute.out().startsWith("ACCEPTED MUTE it-mute-1"), mute.out());
            assertTrue(mute.out().contains("until=2099-01-01T00:00:00Z"), mute.out());

            CliRun unmute = CliRun.of("ctl", "unmute", "--model", "churn", "--version", "7", "--subject", "income",
                    "--config", config.toString(), "--timeout", "90s");
            assertEquals(CtlCommand.EXIT_REJECTED, unmute.exit(), unmute.out() + unmute.err());
            assertTrue(unmute.out().startsWith("REJECTED UNMUTE "), unmute.out());
            assertTrue(unmute.out().contains("is not muted"), unmute.out());

            CliRun again = CliRun.of("ctl", "mute", "--model", "churn", "--version", "7", "--subject", "age",
                    "--until", "2099-01-01T00:00:00Z", "--command-id", "it-mute-1", "--config", config.toString(),
                    "--timeout", "90s");
            assertEquals(mute.out(), again.out(), "a re-delivered command gets its first result");

            CliRun usage = CliRun.of("ctl", "capture-baseline", "--model", "churn", "--version", "7",
                    "--config", config.toString());
            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, usage.exit());
            assertTrue(usage.err().contains("needs --model, --version, --from and --to"), usage.err());
            assertTrue(app.failure().isEmpty());
        }
    }
}
