package dev.driftwatch.streams.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftwatch.detectors.summary.CategoricalBaseline;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.AlertState;
import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.schemas.avro.CommandType;
import dev.driftwatch.schemas.avro.ControlCommand;
import dev.driftwatch.schemas.avro.DriftAlert;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.testkit.Await;
import dev.driftwatch.streams.app.DriftwatchApp;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.demo.DemoTraffic;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBroker;
import dev.driftwatch.streams.internals.BaselineCodec;
import dev.driftwatch.streams.internals.ControlCommands;
import dev.driftwatch.streams.tail.OutputTopic;
import dev.driftwatch.streams.client.TopicReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A running instance on the embedded broker, scraped over HTTP: /health/ready is 503 until the
 * pipeline is RUNNING and again once it stops, /metrics has driftwatch's counters and gauges and the
 * Kafka Streams binder's meters, /status lists the drift state of every subject.
 */
@Timeout(240)
class OpsEndpointsIntegrationTest {
    private static final String MODEL = "ops-model";
    private static final String VERSION = "2.0.0";
    private static final long WINDOW_MS = 60_000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static EmbeddedKafkaBroker kafka;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafkaBroker.start();
        kafka.createTopics(List.of("ops-events", "ops-baselines", "ops-stats", "ops-alerts", "ops-dlq", "ops-control",
                "ops-control-results"), 1);
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }

    private Map<String, String> settings(String prefix) {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("application.id", prefix);
        props.put("schema.registry.url", "mock://" + prefix);
        props.put("topic.inference.events", prefix + "-events");
        props.put("topic.baselines", prefix + "-baselines");
        props.put("topic.window.stats", prefix + "-stats");
        props.put("topic.alerts", prefix + "-alerts");
        props.put("topic.dlq", prefix + "-dlq");
        props.put("topic.control", prefix + "-control");
        props.put("topic.control.results", prefix + "-control-results");
        props.put("window.size.ms", String.valueOf(WINDOW_MS));
        props.put("window.grace.ms", "0");
        props.put("kafka.replication.factor", "1");
        props.put("kafka.commit.interval.ms", "200");
        props.put("kafka.consumer.auto.offset.reset", "earliest");
        return props;
    }

    @Test
    void shouldMergeTheStatusOfEveryInstance() throws Exception {
        kafka.createTopics(List.of("multi-events"), 2);
        kafka.createTopics(List.of("multi-baselines", "multi-stats", "multi-alerts", "multi-dlq", "multi-control",
                "multi-control-results"), 1);
        String other = "2.1.0";
        int[] ports = {freePort(), freePort()};
        DriftwatchConfig[] configs = new DriftwatchConfig[2];
        for (int i = 0; i < 2; i++) {
            Map<String, String> props = settings("multi");
            props.put("state.dir", dir.resolve("state-" + i).toString());
            props.put("http.port", String.valueOf(ports[i]));
            props.put("application.server", "127.0.0.1:" + ports[i]);
            configs[i] = new DriftwatchConfig(props);
        }
        publishBaselines(configs[0], VERSION);
        publishBaselines(configs[0], other);
        try (DriftwatchApp a = DriftwatchApp.start(configs[0], configs[0].pipelineSettings(2));
             DriftwatchApp b = DriftwatchApp.start(configs[1], configs[1].pipelineSettings(2))) {
            Await.until("both instances RUNNING", Duration.ofSeconds(120),
                    () -> a.state() == KafkaStreams.State.RUNNING && b.state() == KafkaStreams.State.RUNNING
                            && a.streams().metadataForAllStreamsClients().size() == 2);
            produceTraffic(configs[0], 2, 200, List.of(VERSION, other), 2);
            String baseA = "http://127.0.0.1:" + ports[0];
            String baseB = "http://127.0.0.1:" + ports[1];
            Await.until("the subjects of both versions in /status", Duration.ofSeconds(90), () -> {
                String body = body(baseA + "/status");
                return body.contains("\"version\":\"" + VERSION + "\"") && body.contains("\"version\":\"" + other + "\"");
            });
            ObjectMapper json = new ObjectMapper();
            // Windows still close while the answers are read (each adds its drift and data-quality subjects), so
            // the merged answer is compared with the two local ones read right after it until they agree.
            Await.until("every subject once in the merged /status", Duration.ofSeconds(60), () -> {
                try {
                    int mergedByA = json.readTree(body(baseA + "/status")).path("subjects").size();
                    int local = json.readTree(body(baseA + "/status?local=true")).path("subjects").size()
                            + json.readTree(body(baseB + "/status?local=true")).path("subjects").size();
                    int mergedByB = json.readTree(body(baseB + "/status")).path("subjects").size();
                    return mergedByA == local && mergedByB == local;
                } catch (IOException e) {
                    return false;
                }
            });
            JsonNode merged = json.readTree(body(baseA + "/status"));
            assertEquals(2, merged.path("instances").size(), merged.toString());
            for (JsonNode instance : merged.path("instances")) {
                assertTrue(instance.path("reachable").asBoolean(), merged.toString());
            }
        }
    }

    @Test
    void shouldServeEverySeriesTheDashboardsAndAlertRulesQueryRightAfterStartUp() throws Exception {
        Map<String, String> props = settings("fresh");
        props.put("state.dir", dir.resolve("state-fresh").toString());
        props.put("http.port", "0");
        kafka.createTopics(List.of("fresh-events", "fresh-baselines", "fresh-stats", "fresh-alerts", "fresh-dlq",
                "fresh-control", "fresh-control-results"), 1);
        DriftwatchConfig config = new DriftwatchConfig(props);
        try (DriftwatchApp app = DriftwatchApp.start(config, config.pipelineSettings(1))) {
            assertTrue(app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(90)),
                    "state " + app.state() + ", failure " + app.failure());
            String base = "http://127.0.0.1:" + app.httpPort().orElseThrow();
            // the consumer's lag meter appears once its partitions are assigned and fetched
            Await.until("the fetch-manager meters", Duration.ofSeconds(60), () -> OpsMetricNames.isIn(scrape(base),
                    "kafka_consumer_fetch_manager_records_lag_max"));
            String text = scrape(base);
            for (String name : OpsMetricNames.usedByDeploy()) {
                assertTrue(OpsMetricNames.isIn(text, name), name + " is queried by deploy/ but not served by a"
                        + " freshly started instance without traffic");
            }
        }
    }

    @Test
    void shouldServeMetricsHealthAndStatusOfARunningInstance() throws Exception {
        Map<String, String> props = new HashMap<>();
        props.put("bootstrap.servers", kafka.bootstrapServers());
        props.put("application.id", "ops-it");
        props.put("schema.registry.url", "mock://ops-it");
        props.put("state.dir", dir.resolve("state").toString());
        props.put("topic.inference.events", "ops-events");
        props.put("topic.baselines", "ops-baselines");
        props.put("topic.window.stats", "ops-stats");
        props.put("topic.alerts", "ops-alerts");
        props.put("topic.dlq", "ops-dlq");
        props.put("topic.control", "ops-control");
        props.put("topic.control.results", "ops-control-results");
        props.put("window.size.ms", String.valueOf(WINDOW_MS));
        props.put("window.grace.ms", "0");
        props.put("kafka.replication.factor", "1");
        props.put("kafka.commit.interval.ms", "200");
        props.put("kafka.consumer.auto.offset.reset", "earliest");
        props.put("http.port", "0");
        DriftwatchConfig config = new DriftwatchConfig(props);
        publishBaselines(config);

        try (DriftwatchApp app = DriftwatchApp.start(config, config.pipelineSettings(1))) {
            String base = "http://127.0.0.1:" + app.httpPort().orElseThrow();
            KafkaStreams.State before = app.state();
            int early = get(base + "/health/ready").statusCode();
            KafkaStreams.State after = app.state();
            if (before != KafkaStreams.State.RUNNING && after != KafkaStreams.State.RUNNING) {
                assertEquals(503, early, "ready while " + before);
            }
            assertTrue(app.awaitState(KafkaStreams.State.RUNNING, Duration.ofSeconds(90)),
                    "state " + app.state() + ", failure " + app.failure());
            HttpResponse<String> ready = get(base + "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            assertTrue(ready.body().contains("\"state\":\"RUNNING\""), ready.body());
            assertEquals(200, get(base + "/health/live").statusCode());
            assertEquals(404, get(base + "/nothing-here").statusCode());

            produceTraffic(config, 3, 400);
            String incomeFiring = DriftwatchMetrics.ALERT_FIRING + "{model=\"" + MODEL + "\",subject=\"income\",";
            Await.until("three windows evaluated", Duration.ofSeconds(90), () -> {
                String t = scrape(base);
                return metric(t, DriftwatchMetrics.WINDOWS_EVALUATED) >= 3 && t.contains(incomeFiring);
            });

            HttpResponse<String> metrics = get(base + "/metrics");
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
            String text = metrics.body();
            Files.writeString(Path.of("target", "ops-it-metrics.txt"), text); // for a look after the run
            assertTrue(metric(text, DriftwatchMetrics.EVENTS_IN) >= 3 * 400, "events in");
            assertEquals(1.0, metric(text, DriftwatchMetrics.DEAD_LETTERS + "{reason=\"WRONG_MAGIC_BYTE\""), text
                    .lines().filter(l -> l.startsWith("driftwatch_dead")).toList().toString());
            assertTrue(text.contains(DriftwatchMetrics.STATISTIC + "{model=\"" + MODEL + "\",subject=\"income\",test=\"psi\""),
                    "a psi gauge for income");
            assertTrue(text.contains(DriftwatchMetrics.WINDOW_MEAN + "{"), "window means");
            assertTrue(text.contains(DriftwatchMetrics.LATENCY + "_bucket{"), "latency histogram");
            assertTrue(text.contains(DriftwatchMetrics.ALERT_SEVERITY + "{"), "alert severity gauges");
            assertTrue(metric(text, DriftwatchMetrics.ALERTS) >= 1, "income drifts from the second window");
            assertTrue(text.lines().anyMatch(l -> l.startsWith("kafka_stream_")), "Kafka Streams binder meters");
            assertTrue(text.lines().anyMatch(l -> l.startsWith("kafka_consumer_")), "consumer meters");
            for (String name : OpsMetricNames.KAFKA_USED) {
                assertTrue(text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " ")),
                        name + ", used by deploy/, is served");
            }

            HttpResponse<String> status = get(base + "/status");
            assertEquals(200, status.statusCode(), status.body());
            JsonNode json = new ObjectMapper().readTree(status.body());
            assertTrue(json.path("subjects").size() >= DemoTraffic.NUMERIC.size(), status.body());
            JsonNode income = null;
            for (JsonNode s : json.path("subjects")) {
                assertEquals(MODEL, s.path("model").asText());
                assertEquals(VERSION, s.path("version").asText());
                if (s.path("subject").asText().equals("income")) {
                    income = s;
                }
            }
            assertTrue(income != null && income.path("windows_observed").asInt() >= 2, status.body());
            assertTrue(income.has("firing") && income.has("severity") && income.has("windows_drifted"), status.body());
            assertTrue(json.path("instances").get(0).path("local").asBoolean());
            assertEquals(200, get(base + "/status?local=true").statusCode());
            assertOpenAlertAcknowledgementAndMuteInStatus(config, base, income);

            // A baseline with a schema id this registry does not know (published through another registry):
            // not ready, saying why, and listed in /status, until a tombstone removes it.
            String broken = BaselineCodec.key(MODEL, VERSION, "broken");
            sendRawBaseline(config, broken, new byte[] {0, 0x7f, -1, -3, 0x78, 2, 4, 6});
            Await.until("not ready for the unreadable baseline", Duration.ofSeconds(60),
                    () -> readyCode(base) == 503);
            HttpResponse<String> notReady = get(base + "/health/ready");
            assertTrue(notReady.body().contains("1 baseline cannot be decoded") && notReady.body().contains(broken),
                    notReady.body());
            JsonNode problems = new ObjectMapper().readTree(get(base + "/status").body()).path("baselineProblems");
            assertTrue(problems.toString().contains("{\"model\":\"" + MODEL + "\",\"version\":\"" + VERSION
                    + "\",\"subject\":\"broken\",\"problem\":\"unreadable\""), problems.toString());
            sendRawBaseline(config, broken, null);
            Await.until("ready once the unreadable baseline is deleted", Duration.ofSeconds(60),
                    () -> readyCode(base) == 200);

            assertTrue(app.streams().close(Duration.ofSeconds(60)));
            HttpResponse<String> stopped = get(base + "/health/ready");
            assertEquals(503, stopped.statusCode(), stopped.body());
            assertEquals(503, get(base + "/status").statusCode());
            app.close(); // and once more by try-with-resources, as run's shutdown hook and finally do
        }
    }

    private static int readyCode(String base) {
        try {
            return get(base + "/health/ready").statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static void sendRawBaseline(DriftwatchConfig config, String key, byte[] value) throws Exception {
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(config), new StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(config.baselinesTopic(), key, value)).get();
        }
    }

    /**
     * /status names income's open alert by the id on the alerts topic; an ACKNOWLEDGE of it and a MUTE of
     * the subject show up there, the mute with its end.
     */
    private static void assertOpenAlertAcknowledgementAndMuteInStatus(DriftwatchConfig config, String base,
                                                                       JsonNode income) throws Exception {
        List<DriftAlert> alerts = new ArrayList<>();
        new TopicReader(config).read(new TopicReader.Request(OutputTopic.ALERTS, TopicReader.Start.BEGINNING, null,
                false, 0, Duration.ofSeconds(30), new TopicReader.Filter(MODEL, VERSION, "income")),
                new TopicReader.Sink() {
                    @Override
                    public void record(ConsumerRecord<String, byte[]> origin, SpecificRecord value) {
                        alerts.add((DriftAlert) value);
                    }

                    @Override
                    public void undecodable(ConsumerRecord<String, byte[]> origin, String reason) {
                        throw new AssertionError(reason);
                    }
                });
        DriftAlert open = alerts.get(alerts.size() - 1);
        assertEquals(AlertState.FIRING, open.getState(), alerts.toString());
        assertTrue(income.path("firing").asBoolean(), income.toString());
        assertEquals(open.getAlertId(), income.path("alert_id").asText(), income.toString());
        assertFalse(income.path("acknowledged").asBoolean(), income.toString());
        assertTrue(income.path("muted_until").isNull(), income.toString());

        Instant until = Instant.parse("2030-01-01T00:00:00Z");
        sendCommand(config, ControlCommand.newBuilder().setCommandId("ack-1").setType(CommandType.ACKNOWLEDGE)
                .setIssuedAt(Instant.now()).setModelId(MODEL).setModelVersion(VERSION)
                .setParameters(Map.of(ControlCommands.ALERT_ID, open.getAlertId())).build());
        sendCommand(config, ControlCommand.newBuilder().setCommandId("mute-1").setType(CommandType.MUTE)
                .setIssuedAt(Instant.now()).setModelId(MODEL).setSubject("income").setTo(until).build());
        ObjectMapper mapper = new ObjectMapper();
        Await.until("the acknowledgement and the mute in /status", Duration.ofSeconds(60), () -> {
            JsonNode status;
            try {
                status = mapper.readTree(body(base + "/status"));
            } catch (IOException e) {
                return false;
            }
            for (JsonNode s : status.path("subjects")) {
                if (s.path("subject").asText().equals("income") && s.path("kind").asText().equals("drift")) {
                    return s.path("acknowledged").asBoolean() && !s.path("muted_until").isNull();
                }
            }
            return false;
        });
        JsonNode status = mapper.readTree(body(base + "/status"));
        JsonNode now = null;
        for (JsonNode s : status.path("subjects")) {
            if (s.path("subject").asText().equals("income")) {
                now = s;
            } else {
                assertTrue(s.path("muted_until").isNull(), "only income is muted: " + s);
            }
        }
        assertEquals("ack-1", now.path("acknowledged_by_command").asText(), now.toString());
        assertEquals(until.toString(), now.path("muted_until").asText(), now.toString());
        assertEquals(1, status.path("mutes").size(), status.toString());
        assertEquals("{\"model\":\"" + MODEL + "\",\"version\":\"*\",\"subject\":\"income\",\"until\":\""
                + until + "\"}", status.path("mutes").get(0).toString());
    }

    private static void sendCommand(DriftwatchConfig config, ControlCommand command) {
        try (KafkaProducer<String, ControlCommand> producer = new KafkaProducer<>(producerProps(config),
                new StringSerializer(), config.topics().control().valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(config.controlTopic(), command.getCommandId(), command));
            producer.flush();
        }
    }

    private static void publishBaselines(DriftwatchConfig config) {
        publishBaselines(config, VERSION);
    }

    private static void publishBaselines(DriftwatchConfig config, String version) {
        Topics topics = config.topics();
        DemoTraffic training = new DemoTraffic(11);
        int rows = 4000;
        Map<String, double[]> numeric = new TreeMap<>();
        Map<String, String[]> categorical = new TreeMap<>();
        for (int i = 0; i < rows; i++) {
            for (Map.Entry<String, Object> e : training.row(false).entrySet()) {
                if (e.getValue() instanceof Double d) {
                    numeric.computeIfAbsent(e.getKey(), k -> new double[rows])[i] = d;
                } else {
                    categorical.computeIfAbsent(e.getKey(), k -> new String[rows])[i] = (String) e.getValue();
                }
            }
        }
        try (KafkaProducer<String, Baseline> producer = new KafkaProducer<>(producerProps(config),
                new StringSerializer(), topics.baselines().valueSerde().serializer())) {
            numeric.forEach((subject, values) -> producer.send(new ProducerRecord<>(topics.baselines().name(),
                    BaselineCodec.key(MODEL, version, subject), BaselineCodec.toAvro(MODEL, version, subject,
                    NumericBaseline.fromSample(values, 10, NumericGrid.DEFAULT_RESOLUTION, "it", null, null), null))));
            categorical.forEach((subject, values) -> producer.send(new ProducerRecord<>(topics.baselines().name(),
                    BaselineCodec.key(MODEL, version, subject), BaselineCodec.toAvro(MODEL, version, subject,
                    CategoricalBaseline.fromSample(values, "it", null, null), null))));
            producer.flush();
        }
    }

    /** {@code windows} windows of {@code perWindow} events, one unreadable record, and one event that closes them. */
    private static void produceTraffic(DriftwatchConfig config, int windows, int perWindow) {
        produceTraffic(config, windows, perWindow, List.of(VERSION), 1);
    }

    private static void produceTraffic(DriftwatchConfig config, int windows, int perWindow, List<String> versions,
                                       int partitions) {
        Topics topics = config.topics();
        Serializer<InferenceEvent> serializer = topics.events().valueSerde().serializer();
        DemoTraffic traffic = new DemoTraffic(5);
        long t0 = Instant.parse("2026-11-01T09:00:00Z").toEpochMilli();
        String topic = topics.events().name();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(producerProps(config),
                new StringSerializer(), new ByteArraySerializer())) {
            for (int w = 0; w < windows; w++) {
                for (int i = 0; i < perWindow; i++) {
                    long time = t0 + w * WINDOW_MS + i * WINDOW_MS / perWindow;
                    for (String version : versions) {
                        InferenceEvent e = traffic.event(MODEL, version, time, traffic.row(w > 0));
                        producer.send(new ProducerRecord<>(topic, null, time, e.getRequestId(),
                                serializer.serialize(topic, e)));
                    }
                }
            }
            producer.send(new ProducerRecord<>(topic, null, t0, "bad", "not avro".getBytes(StandardCharsets.UTF_8)));
            long closing = t0 + (windows + 1) * WINDOW_MS;
            for (int p = 0; p < partitions; p++) {
                InferenceEvent last = traffic.event(MODEL, VERSION, closing, traffic.row(false));
                producer.send(new ProducerRecord<>(topic, p, closing, last.getRequestId(),
                        serializer.serialize(topic, last)));
            }
            producer.flush();
        }
    }

    private static Map<String, Object> producerProps(DriftwatchConfig config) {
        Map<String, Object> p = new HashMap<>();
        config.producerProperties().forEach((k, v) -> p.put(k.toString(), v));
        p.put("acks", "all");
        p.put("linger.ms", 5);
        return p;
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String body(String url) {
        try {
            return get(url).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String scrape(String base) {
        try {
            return get(base + "/metrics").body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    /** The sum of the samples whose line starts with {@code prefix} (a name, or a name and its first labels). */
    static double metric(String text, String prefix) {
        double sum = 0;
        boolean found = false;
        Pattern sample = Pattern.compile("^(\\S+?)(\\{[^}]*})? (\\S+)");
        for (String line : text.lines().toList()) {
            if (line.startsWith("#")) {
                continue;
            }
            Matcher m = sample.matcher(line);
            if (m.find() && (m.group(1).equals(prefix) || line.startsWith(prefix) && prefix.contains("{"))) {
                sum += Double.parseDouble(m.group(3));
                found = true;
            }
        }
        assertFalse(!found && prefix.contains("{"), "no sample " + prefix);
        return found ? sum : 0;
    }
}
