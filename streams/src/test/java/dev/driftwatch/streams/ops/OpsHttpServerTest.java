package dev.driftwatch.streams.ops;

import dev.driftwatch.streams.config.DriftwatchConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The endpoints alone, on a free port, with the Kafka Streams state set by the test. */
class OpsHttpServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> send(String method, String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldBeReadyOnlyWhileRunningAndLiveUnlessFailed() throws Exception {
        AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
        try (OpsHttpServer server = OpsHttpServer.start("127.0.0.1", 0, state::get, () -> "m 1\n", () -> null)) {
            String base = "http://127.0.0.1:" + server.port();
            for (KafkaStreams.State s : KafkaStreams.State.values()) {
                state.set(s);
                HttpResponse<String> ready = send("GET", base + OpsHttpServer.READY_PATH);
                assertEquals(s == KafkaStreams.State.RUNNING ? 200 : 503, ready.statusCode(), s.name());
                assertTrue(ready.body().contains("\"state\":\"" + s + "\""), ready.body());
                boolean failed = s == KafkaStreams.State.ERROR || s == KafkaStreams.State.PENDING_ERROR;
                assertEquals(failed ? 503 : 200, send("GET", base + OpsHttpServer.LIVE_PATH).statusCode(), s.name());
            }
        }
    }

    @Test
    void shouldNotBeReadyWhileABaselineCannotBeDecodedAndSayWhy() throws Exception {
        BaselineProblems problems = new BaselineProblems();
        try (OpsHttpServer server = OpsHttpServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING,
                () -> "", () -> null, problems)) {
            String ready = "http://127.0.0.1:" + server.port() + OpsHttpServer.READY_PATH;
            problems.missing("m/1/new-feature", "no baseline");
            assertEquals(200, send("GET", ready).statusCode(), "a subject without a baseline yet is normal");
            problems.unreadable("m/1/age", "Unknown schema id 7");
            HttpResponse<String> down = send("GET", ready);
            assertEquals(503, down.statusCode(), down.body());
            assertTrue(down.body().contains("\"state\":\"RUNNING\"") && down.body().contains("\"reason\":\"1 baseline"
                    + " cannot be decoded") && down.body().contains("m/1/age: Unknown schema id 7"), down.body());
            problems.unreadable("m/1/age", null);
            assertEquals(200, send("GET", ready).statusCode());
        }
    }

    @Test
    void shouldServeMetricsAsPrometheusTextAndRefuseOtherPathsAndMethods() throws Exception {
        try (OpsHttpServer server = OpsHttpServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING,
                () -> "driftwatch_events_in_total 3.0\n", () -> null)) {
            String base = "http://127.0.0.1:" + server.port();
            HttpResponse<String> metrics = send("GET", base + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertEquals("driftwatch_events_in_total 3.0\n", metrics.body());
            assertTrue(metrics.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
            assertEquals(404, send("GET", base + "/metricsx").statusCode());
            assertEquals(404, send("GET", base + "/").statusCode());
            assertEquals(405, send("POST", base + "/metrics").statusCode());
            HttpResponse<String> status = send("GET", base + "/status");
            assertEquals(503, status.statusCode(), "no pipeline yet");
            assertTrue(status.body().contains("not running yet"), status.body());
        }
    }

    @Test
    void shouldNameTheSettingsWhenThePortIsTaken() {
        try (OpsHttpServer first = OpsHttpServer.start("127.0.0.1", 0, () -> KafkaStreams.State.RUNNING, () -> "",
                () -> null)) {
            ConfigException e = assertThrows(ConfigException.class, () -> OpsHttpServer.start("127.0.0.1",
                    first.port(), () -> KafkaStreams.State.RUNNING, () -> "", () -> null));
            assertTrue(e.getMessage().contains("http.bind.address") && e.getMessage().contains("http.port"),
                    e.getMessage());
        }
    }

    @Test
    void shouldDefaultToLoopbackOnPort8080AndCheckThePort() {
        DriftwatchConfig defaults = new DriftwatchConfig(Map.of());
        assertTrue(defaults.httpEnabled());
        assertEquals("127.0.0.1", defaults.httpBindAddress());
        assertEquals(8080, defaults.httpPort());
        assertEquals(10_000, defaults.metricsMaxSeries());
        assertEquals(Duration.ofSeconds(2), defaults.statusRemoteTimeout());
        assertTrue(defaults.applicationServer().isEmpty());
        assertThrows(ConfigException.class, () -> new DriftwatchConfig(Map.of("http.port", "65536")));
        assertEquals("10.0.0.5:8080", new DriftwatchConfig(Map.of("application.server", "10.0.0.5:8080"))
                .applicationServer().orElseThrow());
    }
}
