package dev.driftwatch.streams.cli;

import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.config.DriftwatchConfig;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code run --check} refuses what {@code run} would refuse, before connecting to anything (nothing
 * listens at the bootstrap address below: a check that got that far would fail differently).
 */
class RunCommandTest {
    private static final String NOBODY = "127.0.0.1:1";

    @TempDir
    Path dir;

    private Path config(String... lines) throws IOException {
        // A registry address nobody answers at (run refuses the default mock:// registry before any check).
        List<String> all = new ArrayList<>(List.of("bootstrap.servers=" + NOBODY, "http.port=0",
                "state.dir=" + dir.resolve("state"), "schema.registry.url=http://" + NOBODY + "/apis/ccompat/v7"));
        all.addAll(List.of(lines));
        Path file = dir.resolve("driftwatch.properties");
        Files.writeString(file, String.join("\n", all) + "\n");
        return file;
    }

    /** Both {@code run --check} and {@code run}: exit 2 and one line naming every one of {@code mentions}. */
    private void assertRefusedAlike(Path file, String... mentions) {
        for (String[] args : List.of(new String[] {"run", "--config", file.toString(), "--check"},
                new String[] {"run", "--config", file.toString()})) {
            CliRun.Captured r = CliRun.captured(args);
            String what = String.join(" ", args) + ": " + r.all();
            assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.run().exit(), what);
            List<String> lines = r.run().err().lines().toList();
            assertEquals(1, lines.size(), what);
            assertTrue(lines.get(0).startsWith("driftwatch run: "), what);
            for (String m : mentions) {
                assertTrue(lines.get(0).contains(m), "should name '" + m + "': " + what);
            }
            assertFalse(r.all().contains("Exception") || r.all().contains("\tat "), "no stack trace: " + what);
            assertFalse(r.run().out().contains("reads "), "no plan for settings that cannot run: " + what);
        }
    }

    @Test
    void shouldRefuseAKafkaStreamsValueThatIsNotANumber() throws IOException {
        assertRefusedAlike(config("num.stream.threads=abc"), "num.stream.threads", "abc", "correct it");
        assertRefusedAlike(config("kafka.commit.interval.ms=often"), "commit.interval.ms", "often");
    }

    @Test
    void shouldRefuseABadClientValueBehindAStreamsPrefix() throws IOException {
        assertRefusedAlike(config("producer.acks=sometimes"), "acks", "sometimes");
        assertRefusedAlike(config("main.consumer.max.poll.records=many"), "max.poll.records", "many");
        assertRefusedAlike(config("admin.retries=x"), "retries", "x");
    }

    @Test
    void shouldRefuseARegistryUrlThatIsNotHttp() throws IOException {
        assertRefusedAlike(config("schema.registry.url=ftp://x"), "schema.registry.url", "ftp://x", "http(s)://");
        assertRefusedAlike(config("schema.registry.url=registry:8081"), "schema.registry.url", "registry:8081");
    }

    @Test
    void shouldRefuseSerdeAndServerSettingsThatOnlyTheStartWouldRead() throws IOException {
        assertRefusedAlike(config("auto.register.schemas=maybe"), "auto.register.schemas", "maybe");
        assertRefusedAlike(config("schema.registry.url=http://registry:8081", "basic.auth.credentials.source=USER_INFO"),
                "basic.auth.user.info");
        assertRefusedAlike(config("application.server=no-port"), "application.server", "no-port");
    }

    @Test
    void shouldRefuseAStateDirThatIsAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
        assertRefusedAlike(config("state.dir=" + file), "state.dir", file.toString(), "is a file, not a folder");
        Path under = file.resolve("state");
        assertRefusedAlike(config("state.dir=" + under), "state.dir", under.toString(), "is a file, not a folder");
    }

    @Test
    void shouldRefuseAnHttpPortThatIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertRefusedAlike(config("http.port=" + taken.getLocalPort()), "http.port",
                    "127.0.0.1:" + taken.getLocalPort(), "choose a free port");
        }
    }

    @Test
    void shouldRefuseTheSameSettingsWhenTheAppIsStartedInProcess() throws IOException {
        // Kafka Streams itself would fail on this one with a ProcessorStateException and its stack trace
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Map<String, String> props = Map.of("bootstrap.servers", NOBODY, "http.port", "0", "state.dir", file.toString());
        DriftwatchConfig config = new DriftwatchConfig(props);
        ConfigException e = assertThrows(ConfigException.class,
                () -> DriftwatchApp.start(config, config.pipelineSettings(1)));
        assertTrue(e.getMessage().contains("state.dir") && e.getMessage().contains("is a file"), e.getMessage());
    }

    @Test
    void shouldNeverPrintThePasswordOfARegistryUrl() throws IOException {
        CliRun.Captured r = CliRun.captured("run", "--config",
                config("schema.registry.url=ftp://svc:S3cret-pw@registry/x").toString(), "--check");
        assertEquals(DriftwatchCli.EXIT_BAD_INPUT, r.run().exit(), r.all());
        assertTrue(r.run().err().contains("ftp://svc:[hidden]@registry/x"), r.all());
        assertFalse(r.all().contains("S3cret-pw"), r.all());
    }
}
