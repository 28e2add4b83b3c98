package dev.driftwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.driftwatch.schemas.avro.InferenceEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The REST client against a scripted HTTP server on 127.0.0.1 (the JDK's own), checking paths, headers, retries and caching. */
class RestSchemaRegistryClientTest {

    /** One scripted answer. */
    private record Answer(int status, String body) {
    }

    /** What the server saw. */
    private record Seen(String method, String path, String contentType, String authorization, String body) {
    }

    private HttpServer server;
    private final Queue<Answer> answers = new ArrayDeque<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestHeaders().getFirst("Content-Type"),
                exchange.getRequestHeaders().getFirst("Authorization"), body));
        if (hang) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Answer answer;
        synchronized (answers) {
            answer = answers.isEmpty() ? new Answer(500, "{\"error_code\":50001,\"message\":\"unscripted\"}") : answers.poll();
        }
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void script(int status, String body) {
        synchronized (answers) {
            answers.add(new Answer(status, body));
        }
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private RestSchemaRegistryClient client(String url, String userInfo, int retries, Duration requestTimeout) {
        return new RestSchemaRegistryClient(new RestSchemaRegistryClient.Settings(List.of(url), userInfo,
                TlsSettings.DEFAULTS, Duration.ofSeconds(2), requestTimeout, retries, Duration.ofMillis(1),
                Duration.ofMillis(4), 100));
    }

    private static String schemaJson() {
        return InferenceEvent.getClassSchema().toString().replace("\\", "\\\\").replace("\"", "\\\"");
    }

    @Test
    void shouldRegisterUnderTheSubjectWithTheRegistryContentTypeAndCacheTheId() {
        script(200, "{\"id\":7}");
        RestSchemaRegistryClient client = client(url(), null, 0, Duration.ofSeconds(5));

        assertEquals(7, client.register("inference-events-value", InferenceEvent.getClassSchema()));
        assertEquals(7, client.register("inference-events-value", InferenceEvent.getClassSchema()));

        assertEquals(1, seen.size(), "the second registration must come from the cache");
        Seen call = seen.get(0);
        assertEquals("POST", call.method());
        assertEquals("/subjects/inference-events-value/versions", call.path());
        assertEquals(RestSchemaRegistryClient.CONTENT_TYPE, call.contentType());
        assertTrue(call.body().startsWith("{\"schema\":"), call.body());
        assertEquals(InferenceEvent.getClassSchema(), client.schemaById(7), "registration fills the id cache too");
    }

    @Test
    void shouldFetchASchemaByIdOnceAndKeepItCached() {
        script(200, "{\"schema\":\"" + schemaJson() + "\"}");
        RestSchemaRegistryClient client = client(url(), null, 0, Duration.ofSeconds(5));
        assertEquals(InferenceEvent.getClassSchema(), client.schemaById(3));
        assertEquals(InferenceEvent.getClassSchema(), client.schemaById(3));
        assertEquals(1, seen.size());
        assertEquals("/schemas/ids/3", seen.get(0).path());
    }

    @Test
    void shouldReadVersionsLatestLookupSubjectsAndCompatibility() {
        script(200, "[1,2,3]");
        script(200, "{\"subject\":\"s\",\"version\":3,\"id\":9,\"schema\":\"" + schemaJson() + "\"}");
        script(200, "{\"subject\":\"s\",\"version\":2,\"id\":8,\"schema\":\"" + schemaJson() + "\"}");
        script(200, "[\"s\",\"t\"]");
        script(200, "{\"is_compatible\":false}");
        script(200, "{\"compatibility\":\"FULL\"}");
        RestSchemaRegistryClient client = client(url(), null, 0, Duration.ofSeconds(5));

        assertEquals(List.of(1, 2, 3), client.versions("s"));
        assertEquals(9, client.latest("s").id());
        assertEquals(new RegisteredSchema("s", 2, 8, InferenceEvent.getClassSchema()),
                client.lookup("s", InferenceEvent.getClassSchema()));
        assertEquals(List.of("s", "t"), client.subjects());
        assertFalse(client.isCompatible("s", InferenceEvent.getClassSchema()));
        client.setCompatibility("s", CompatibilityLevel.FULL);

        assertEquals(List.of("GET /subjects/s/versions", "GET /subjects/s/versions/latest", "POST /subjects/s",
                        "GET /subjects", "POST /compatibility/subjects/s/versions/latest", "PUT /config/s"),
                seen.stream().map(s -> s.method() + " " + s.path()).toList());
        assertEquals("{\"compatibility\":\"FULL\"}", seen.get(5).body());
    }

    @Test
    void shouldEscapeSubjectsInPaths() {
        script(200, "[1]");
        client(url(), null, 0, Duration.ofSeconds(5)).versions("a b/c");
        assertEquals("/subjects/a%20b%2Fc/versions", seen.get(0).path());
    }

    @Test
    void shouldSendBasicAuthFromUserInfoOrFromTheUrl() {
        script(200, "[]");
        script(200, "[]");
        client(url(), "alice:s3cret", 0, Duration.ofSeconds(5)).subjects();
        client("http://bob:pw%40x@127.0.0.1:" + server.getAddress().getPort(), null, 0, Duration.ofSeconds(5)).subjects();
        assertEquals("Basic " + Base64.getEncoder().encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)),
                seen.get(0).authorization());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("bob:pw@x".getBytes(StandardCharsets.UTF_8)),
                seen.get(1).authorization());
    }

    @Test
    void shouldRetryServerErrorsWithBackOffAndThenSucceed() {
        script(503, "{\"error_code\":50003,\"message\":\"busy\"}");
        script(429, "");
        script(200, "[\"s\"]");
        assertEquals(List.of("s"), client(url(), null, 3, Duration.ofSeconds(5)).subjects());
        assertEquals(3, seen.size());
    }

    @Test
    void shouldGiveUpAfterTheConfiguredRetries() {
        for (int i = 0; i < 5; i++) {
            script(500, "{\"error_code\":50001,\"message\":\"store error\"}");
        }
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(url(), null, 2, Duration.ofSeconds(5)).subjects());
        assertEquals(3, seen.size());
        assertEquals(500, e.httpStatus());
        assertEquals(50001, e.errorCode());
        assertTrue(e.getMessage().contains("store error"), e.getMessage());
    }

    @Test
    void shouldNotRetryClientErrorsAndTellNotFound() {
        script(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(url(), null, 3, Duration.ofSeconds(5)).schemaById(99));
        assertTrue(e.isNotFound());
        assertEquals(40403, e.errorCode());
        assertEquals(1, seen.size());
    }

    @Test
    void shouldTellAnIncompatibleRegistration() {
        script(409, "{\"error_code\":409,\"message\":\"incompatible\"}");
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(url(), null, 3, Duration.ofSeconds(5)).register("s", InferenceEvent.getClassSchema()));
        assertTrue(e.isIncompatible());
    }

    @Test
    void shouldTreatAnUnknownSubjectAsCompatible() {
        script(404, "{\"error_code\":40401,\"message\":\"Subject not found\"}");
        assertTrue(client(url(), null, 0, Duration.ofSeconds(5)).isCompatible("new", InferenceEvent.getClassSchema()));
    }

    @Test
    void shouldTimeOutASlowRegistry() {
        hang = true;
        long start = System.nanoTime();
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class,
                () -> client(url(), null, 1, Duration.ofMillis(200)).subjects());
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(e.isRetriable(), e.getMessage());
        assertEquals(2, seen.size(), "one try and one retry");
        assertTrue(elapsedMs < 5_000, "took " + elapsedMs + " ms");
    }

    @Test
    void shouldFailOverToTheNextUrl() throws IOException {
        int deadPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            deadPort = socket.getLocalPort();
        }
        script(200, "[\"s\"]");
        RestSchemaRegistryClient client = new RestSchemaRegistryClient(new RestSchemaRegistryClient.Settings(
                List.of("http://127.0.0.1:" + deadPort, url()), null, TlsSettings.DEFAULTS, Duration.ofSeconds(2),
                Duration.ofSeconds(5), 1, Duration.ofMillis(1), Duration.ofMillis(1), 10));
        assertEquals(List.of("s"), client.subjects());
    }

    @Test
    void shouldBuildFromConfluentStyleConfig() {
        script(200, "[]");
        SchemaRegistryClient client = SchemaRegistryClients.create(java.util.Map.of(
                "schema.registry.url", url() + "/",
                "basic.auth.credentials.source", "USER_INFO",
                "basic.auth.user.info", "u:p"));
        client.subjects();
        assertEquals("/subjects", seen.get(0).path());
        assertEquals("Basic " + Base64.getEncoder().encodeToString("u:p".getBytes(StandardCharsets.UTF_8)),
                seen.get(0).authorization());
    }

    @Test
    void shouldAskTheRegistryOnceForAFloodOfRecordsWithAnUnknownSchemaId() {
        script(404, "{\"error_code\":40403,\"message\":\"Schema 4242 not found\"}");
        // Anything more would get the server's "unscripted" 500 and fail as a registry outage, not a bad record.
        try (dev.driftwatch.schemas.serde.SpecificAvroDeserializer<InferenceEvent> deserializer =
                     new dev.driftwatch.schemas.serde.SpecificAvroDeserializer<>(InferenceEvent.class)) {
            deserializer.configure(java.util.Map.of("schema.registry.url", url(), "schema.registry.max.retries", "0"),
                    false);
            byte[] record = java.nio.ByteBuffer.allocate(9).put((byte) 0).putInt(4242).putInt(0).array();
            for (int i = 0; i < 1_000; i++) {
                dev.driftwatch.schemas.serde.BadRecordException e = assertThrows(
                        dev.driftwatch.schemas.serde.BadRecordException.class,
                        () -> deserializer.deserialize("inference-events", record));
                assertEquals(dev.driftwatch.schemas.serde.BadRecordException.Reason.UNKNOWN_SCHEMA_ID, e.reason());
            }
        }
        assertEquals(1, seen.size(), "one GET for 1,000 records with the same unknown id: " + seen.size());
        assertEquals("/schemas/ids/4242", seen.get(0).path());
    }

    @Test
    void shouldAskAgainForAnotherUnknownId() {
        script(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        script(404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
        RestSchemaRegistryClient client = client(url(), null, 0, Duration.ofSeconds(5));
        for (int id : new int[] {5, 6, 5, 6}) {
            SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> client.schemaById(id));
            assertTrue(e.isNotFound(), e.getMessage());
        }
        assertEquals(List.of("/schemas/ids/5", "/schemas/ids/6"), seen.stream().map(Seen::path).toList());
    }
}
