package dev.driftwatch.streams.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands that share Kafka topics with other processes (run, baseline, ctl, replay) refuse a
 * {@code mock://} registry that nothing else in their process uses: its schema ids would mean nothing to
 * the pipeline (which then skipped every baseline). They refuse before they touch the broker.
 */
class InMemoryRegistryRefusalTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAnInMemoryRegistryOfItsOwnWithOneLineNamingTheFixBeforeTouchingKafka() throws IOException {
        String registry = "mock://alone-" + UUID.randomUUID();
        Path config = dir.resolve("driftwatch.properties");
        // nothing listens on port 1: a command that tried the broker would fail later, and otherwise
        Files.writeString(config, "bootstrap.servers=127.0.0.1:1\nschema.registry.url=" + registry + "\n");
        Path csv = Files.writeString(dir.resolve("train.csv"), "age\n1\n2\n3\n");
        Path events = dir.resolve("traffic.csv");
        assertEquals(0, CliRun.of("sample", "--output", events.toString(), "--windows", "1", "--events-per-window",
                "3").exit());
        List<List<String>> commands = List.of(
                List.of("run", "--config", config.toString(), "--check"),
                List.of("baseline", "--config", config.toString(), "--input", csv.toString(), "--model", "m",
                        "--version", "1"),
                List.of("ctl", "mute", "--model", "m", "--version", "1", "--until", "2099-01-01T00:00:00Z",
                        "--config", config.toString()),
                List.of("replay", "--input", events.toString(), "--config", config.toString()));
        for (List<String> command : commands) {
            long start = System.nanoTime();
            CliRun r = CliRun.of(command.toArray(String[]::new));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            String name = command.get(0);
            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.exit(), name + ": " + r.out() + r.err());
            assertEquals(1, r.err().strip().lines().count(), name + ": " + r.err());
            String line = r.err().strip();
            assertTrue(line.startsWith("driftwatch " + name + ": schema.registry.url=" + registry
                    + " is an in-memory registry that lives only inside this process"), line);
            assertTrue(line.contains("deploy/local/stack.sh start"), line);
            assertTrue(took.compareTo(Duration.ofSeconds(5)) < 0, name + " tried Kafka first: took " + took);
        }
        CliRun dryRun = CliRun.of("baseline", "--config", config.toString(), "--input", csv.toString(), "--model",
                "m", "--version", "1", "--dry-run");
        assertEquals(0, dryRun.exit(), "a dry run publishes nothing and needs no registry: " + dryRun.err());
    }
}
