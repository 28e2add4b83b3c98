package dev.driftwatch.streams.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The operations endpoints of a driftwatch instance, on the JDK's HTTP server:
 *
 * <ul>
 *   <li>{@code GET /metrics}: every meter in the Prometheus text format;</li>
 *   <li>{@code GET /health/live}: 200 unless Kafka Streams has failed (ERROR, PENDING_ERROR): 503;</li>
 *   <li>{@code GET /health/ready}: 200 only while Kafka Streams is RUNNING and every baseline record can be
 *       decoded, else 503 (with the reason when a baseline cannot);</li>
 *   <li>{@code GET /status}: the drift state of every model version and subject, of all instances
 *       ({@code ?local=true}: this one only), see {@link DriftStatus}; 503 while not queryable.</li>
 * </ul>
 *
 * Health answers are JSON: {@code {"status":"UP","state":"RUNNING"}}.
 */
public final class OpsHttpServer implements AutoCloseable {
    public static final String METRICS_PATH = "/metrics";
    public static final String LIVE_PATH = "/health/live";
    public static final String READY_PATH = "/health/ready";
    public static final String STATUS_PATH = "/status";

    private static final Logger LOG = LoggerFactory.getLogger(OpsHttpServer.class);
    private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";
    private static final Set<KafkaStreams.State> NOT_LIVE =
            Set.of(KafkaStreams.State.ERROR, KafkaStreams.State.PENDING_ERROR);

    private final HttpServer server;
    private final ExecutorService executor;

    private OpsHttpServer(HttpServer server, ExecutorService executor) {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Checks that {@code bindAddress:port} can be listened on now, by opening and closing a socket there
     * (nothing to check for port 0): what {@code run --check} says about the HTTP endpoints.
     *
     * @throws ConfigException when it cannot, naming http.bind.address and http.port
     */
    public static void checkCanServe(String bindAddress, int port) {
        if (port == 0) {
            return;
        }
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(bindAddress, port));
        } catch (IOException | RuntimeException e) {
            throw cannotServe(bindAddress, port, e);
        }
    }

    private static ConfigException cannotServe(String bindAddress, int port, Exception e) {
        return new ConfigException("cannot serve HTTP on " + bindAddress + ":" + port + " (http.bind.address,"
                + " http.port): " + e.getMessage() + "; choose a free port, or set http.enabled=false");
    }

    /**
     * Starts serving.
     *
     * @param bindAddress address to listen on, e.g. 127.0.0.1
     * @param port        port, 0 for a free one
     * @param state       the Kafka Streams state, read at each health request
     * @param scrape      the Prometheus text of every meter
     * @param status      the /status answer, null until the pipeline runs
     * @throws ConfigException when the address cannot be bound, naming http.bind.address and http.port
     */
    public static OpsHttpServer start(String bindAddress, int port, Supplier<KafkaStreams.State> state,
                                      Supplier<String> scrape, Supplier<DriftStatus> status) {
        return start(bindAddress, port, state, scrape, status, new BaselineProblems());
    }

    /**
     * Starts serving, not ready while {@code baselines} has a baseline that cannot be decoded.
     *
     * @see #start(String, int, Supplier, Supplier, Supplier)
     */
    public static OpsHttpServer start(String bindAddress, int port, Supplier<KafkaStreams.State> state,
                                      Supplier<String> scrape, Supplier<DriftStatus> status,
                                      BaselineProblems baselines) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindAddress, port), 16);
        } catch (IOException | RuntimeException e) {
            throw cannotServe(bindAddress, port, e);
        }
        ExecutorService executor = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "driftwatch-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext(METRICS_PATH, ex -> handle(ex, () -> new Answer(200, PROMETHEUS_TEXT, scrape.get())));
        server.createContext(LIVE_PATH, ex -> handle(ex, () -> health(state.get(), !NOT_LIVE.contains(state.get()))));
        server.createContext(READY_PATH, ex -> handle(ex, () -> {
            KafkaStreams.State s = state.get();
            java.util.Optional<String> unusable = baselines.notReadyReason();
            if (s == KafkaStreams.State.RUNNING && unusable.isPresent()) {
                return new Answer(503, JSON, "{\"status\":\"DOWN\",\"state\":\"" + s + "\",\"reason\":"
                        + quote(unusable.get()) + "}");
            }
            return health(s, s == KafkaStreams.State.RUNNING);
        }));
        server.createContext(STATUS_PATH, ex -> handle(ex, () -> status(ex, status.get())));
        server.createContext("/", ex -> handle(ex, () -> new Answer(404, JSON,
                "{\"error\":\"not found; try " + METRICS_PATH + ", " + LIVE_PATH + ", " + READY_PATH + " or "
                        + STATUS_PATH + "\"}")));
        server.start();
        OpsHttpServer ops = new OpsHttpServer(server, executor);
        LOG.info("Serving {}, {}, {} and {} on http://{}:{}", METRICS_PATH, LIVE_PATH, READY_PATH, STATUS_PATH,
                bindAddress, ops.port());
        return ops;
    }

    /** The port listened on (the chosen one when started with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private record Answer(int code, String contentType, String body) {
    }

    private static Answer health(KafkaStreams.State state, boolean up) {
        return new Answer(up ? 200 : 503, JSON,
                "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"state\":\"" + state + "\"}");
    }

    private static Answer status(HttpExchange ex, DriftStatus status) {
        if (status == null) {
            return new Answer(503, JSON, "{\"error\":\"the pipeline is not running yet\"}");
        }
        String query = ex.getRequestURI().getRawQuery();
        boolean localOnly = query != null && Set.of(query.split("&")).contains("local=true");
        try {
            return new Answer(200, JSON, status.json(localOnly));
        } catch (DriftStatus.NotQueryableException e) {
            return new Answer(503, JSON, "{\"error\":" + quote(e.getMessage()) + "}");
        }
    }

    private static void handle(HttpExchange ex, Supplier<Answer> answer) throws IOException {
        try (ex) {
            Answer a;
            String path = ex.getRequestURI().getPath();
            if (!path.equals(ex.getHttpContext().getPath()) && !path.equals(ex.getHttpContext().getPath() + "/")) {
                a = new Answer(404, JSON, "{\"error\":\"not found; try " + METRICS_PATH + ", " + LIVE_PATH + ", "
                        + READY_PATH + " or " + STATUS_PATH + "\"}");
            } else if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET, HEAD");
                a = new Answer(405, JSON, "{\"error\":\"only GET\"}");
            } else {
                try {
                    a = answer.get();
                } catch (RuntimeException e) {
                    LOG.warn("{} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
                    a = new Answer(500, JSON, "{\"error\":" + quote(String.valueOf(e.getMessage())) + "}");
                }
            }
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", a.contentType());
            boolean head = "HEAD".equals(ex.getRequestMethod());
            ex.sendResponseHeaders(a.code(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}
