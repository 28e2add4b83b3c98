package dev.driftwatch.streams.failure;

import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.streams.cli.DriftwatchCli;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code driftwatch run} refuses to start, with exit status 2 and one message that names the setting, on
 * a bad value, a missing file, a wrong bootstrap address or a missing topic (complements
 * {@code RunCommandIntegrationTest}).
 */
@Timeout(180)
class StartupErrorsIntegrationTest {
    private static EmbeddedKafkaBroker kafka;
    private static final List<String> TOPICS = List.of("se-events", "se-baselines", "se-stats", "se-alerts", "se-dlq",
            "se-control", "se-control-results");

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start(Map.of("auto.create.topics.enable", "false"));
        kafka.createTopics(TOPICS, 1);
        // The commands run in this JVM and share its in-memory registry (the default one)
        InMemorySchemaRegistry.forScope(InMemorySchemaRegistry.scopeOf("mock://driftwatch"));
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private record Run(int exit, String out, String err) {
    }

    private Run run(String... lines) throws IOException {
        Path file = dir.resolve("driftwatch.properties");
        List<String> all = new ArrayList<>(List.of("application.id=startup-errors",
                "topic.inference.events=se-events", "topic.baselines=se-baselines", "topic.window.stats=se-stats",
                "topic.alerts=se-alerts", "topic.dlq=se-dlq", "topic.control=se-control",
                "topic.control.results=se-control-results", "state.dir=" + dir.resolve("state")));
        all.addAll(List.of(lines));
        Files.writeString(file, String.join("\n", all) + "\n");
        return runCli("run", "--config", file.toString());
    }

    private static Run runCli(String... args) {
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            CommandLine cli = DriftwatchCli.commandLine();
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            cli.setOut(new PrintWriter(out));
            cli.setErr(new PrintWriter(err));
            int exit = cli.execute(args);
            return new Run(exit, out.toString(), err.toString());
        }, "driftwatch run should refuse to start, not run");
    }

    private static void assertRefused(Run r, String... mentions) {
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), r.out() + r.err());
        for (String m : mentions) {
            assertTrue(r.err().contains(m), "the message should name '" + m + "': " + r.err());
        }
    }

    @Test
    void shouldNameTheKeyOfABadValue() throws IOException {
        String bootstrap = "bootstrap.servers=" + kafka.bootstrapServers();
        assertRefused(run(bootstrap, "processing.guarantee=exactly_once"), "processing.guarantee", "exactly_once");
        assertRefused(run(bootstrap, "policy.alpha=2"), "policy.alpha");
        assertRefused(run(bootstrap, "window.grace.ms=soon"), "window.grace.ms", "soon");
        assertRefused(run(bootstrap, "max.features=0"), "max.features");
        assertRefused(run(bootstrap, "window.size.ms=60000", "window.advance.ms=7000"), "window.advance.ms");
        assertRefused(run(bootstrap, "topic.alerts=bad topic name"), "topic.alerts");
    }

    @Test
    void shouldNameAConfigFileThatDoesNotExist() {
        Path missing = dir.resolve("no-such.properties");
        assertRefused(runCli("run", "--config", missing.toString()), missing.toString());
    }

    @Test
    void shouldNameBootstrapServersWhenTheAddressIsWrong() throws IOException {
        assertRefused(run("bootstrap.servers=no-such-host.invalid:9092"), "bootstrap.servers");
        assertRefused(run("bootstrap.servers=127.0.0.1"), "bootstrap.servers");
    }

    @Test
    void shouldNameTheOneMissingTopicAndItsSetting() throws IOException {
        Run r = run("bootstrap.servers=" + kafka.bootstrapServers(), "topic.dlq=se-missing-dlq");
        assertRefused(r, "'se-missing-dlq' (topic.dlq)", "does not exist", "--create-topics");
    }
}
