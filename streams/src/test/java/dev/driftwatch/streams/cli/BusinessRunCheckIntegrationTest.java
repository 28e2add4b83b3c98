package dev.driftwatch.streams.cli;

import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code driftwatch run --check} with business outcomes: both input topics need the same partition count. */
@Timeout(180)
class BusinessRunCheckIntegrationTest {
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

    private Path config(String outcomes) throws IOException {
        Path file = dir.resolve("driftwatch.properties");
        Files.writeString(file, String.join("\n", "bootstrap.servers=" + kafka.bootstrapServers(),
                "application.id=business-check", "business.enabled=true", "topic.inference.events=bc-events",
                "topic.outcome.events=" + outcomes, "topic.business.metrics=bc-business", "topic.baselines=bc-baselines",
                "topic.window.stats=bc-stats", "topic.alerts=bc-alerts", "topic.dlq=bc-dlq",
                "topic.control=bc-control", "topic.control.results=bc-results") + "\n");
        return file;
    }

    @Test
    void shouldRefuseOutcomeEventsWithAnotherPartitionCountAndNameBothTopics() throws IOException {
        kafka.createTopics(List.of("bc-events", "bc-outcomes-3"), 3);
        kafka.createTopics(List.of("bc-outcomes-1", "bc-business", "bc-baselines", "bc-stats", "bc-alerts", "bc-dlq",
                "bc-control", "bc-results"), 1);
        CliRun wrong = CliRun.of("run", "--config", config("bc-outcomes-1").toString(), "--check");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, wrong.exit(), wrong.out() + wrong.err());
        assertTrue(wrong.err().contains("topic 'bc-outcomes-1' (topic.outcome.events) has 1 partitions but"
                + " 'bc-events' (topic.inference.events) has 3"), wrong.err());
        CliRun right = CliRun.of("run", "--config", config("bc-outcomes-3").toString(), "--check");
        assertEquals(0, right.exit(), right.out() + right.err());
    }

    @Test
    void shouldNameAMissingOutcomeTopic() throws IOException {
        kafka.createTopics(List.of("bc-events"), 3);
        CliRun r = CliRun.of("run", "--config", config("bc-missing-outcomes").toString(), "--check");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        assertTrue(r.err().contains("'bc-missing-outcomes' (topic.outcome.events)"), r.err());
    }
}
