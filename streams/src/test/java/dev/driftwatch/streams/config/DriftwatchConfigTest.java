package dev.driftwatch.streams.config;

import dev.driftwatch.detectors.DriftTests;
import dev.driftwatch.detectors.policy.AlertPolicy;
import dev.driftwatch.detectors.policy.Persistence;
import dev.driftwatch.streams.PipelineSettings;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DriftwatchConfigTest {
    @TempDir
    Path dir;

    private static DriftwatchConfig config(String... keyValues) {
        Map<String, String> props = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            props.put(keyValues[i], keyValues[i + 1]);
        }
        return new DriftwatchConfig(props);
    }

    private static String rejected(String... keyValues) {
        return assertThrows(ConfigException.class, () -> config(keyValues)).getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void shouldUseTheDocumentedDefaults() {
        DriftwatchConfig c = config();
        assertEquals("driftwatch", c.applicationId());
        assertEquals(List.of(), c.bootstrapServers());
        assertEquals("mock://driftwatch", c.schemaRegistryUrl());
        assertEquals("exactly_once_v2", c.processingGuarantee());
        assertTrue(c.stateDir().isEmpty());
        assertEquals("inference-events", c.eventsTopic());
        assertEquals("driftwatch-baselines", c.baselinesTopic());
        assertEquals("driftwatch-window-stats", c.windowStatsTopic());
        assertEquals("driftwatch-alerts", c.alertsTopic());
        assertEquals("driftwatch-dlq", c.deadLettersTopic());
        assertTrue(c.topicReplicationFactor().isEmpty());
        assertEquals(Duration.ofMinutes(5), c.windowSize());
        assertEquals(Duration.ofMinutes(5), c.windowAdvance());
        assertEquals(Duration.ofMinutes(1), c.grace());
        assertEquals(0, c.inputPartitions());
        assertEquals(AlertPolicy.defaults(), c.policy());
        assertEquals(Map.of("schema.registry.url", "mock://driftwatch"), c.serdeConfig());
        assertEquals(List.of(), c.unknownKeys());
    }

    @Test
    void shouldBuildPipelineSettingsFromTheKeys() {
        PipelineSettings s = config("application.id", "dw-prod", "window.size.ms", "600000", "window.advance.ms",
                "300000", "window.grace.ms", "0", "segment.attribute", "region", "max.features", "50",
                "max.value.length", "64", "max.future.skew.ms", "3600000").pipelineSettings(6);
        assertEquals("dw-prod", s.applicationId());
        assertEquals(Duration.ofMinutes(10), s.windowSize());
        assertEquals(Duration.ofMinutes(5), s.windowAdvance());
        assertEquals(Duration.ZERO, s.grace());
        assertEquals("region", s.segmentAttribute());
        assertEquals(50, s.maxFeatures());
        assertEquals(64, s.maxValueLength());
        assertEquals(Duration.ofHours(1), s.maxFutureSkew());
        assertEquals(6, s.inputPartitions());
        assertNull(config().pipelineSettings(1).segmentAttribute(), "an empty segment attribute means none");
        assertThrows(IllegalArgumentException.class, () -> config().pipelineSettings(0));
    }

    @Test
    void shouldBuildThePolicyFromTheKeys() {
        AlertPolicy p = config("policy.version", "2024-06", "policy.alpha", "0.01", "policy.persistence.m", "2",
                "policy.persistence.n", "3", "policy.dataset.drift.share", "0.3", "policy.deciding.tests", "psi, kl",
                "policy.psi.warning", "0.2", "policy.psi.critical", "0.4", "policy.wasserstein.critical", "0.5").policy();
        assertEquals("2024-06", p.version());
        assertEquals(0.01, p.alpha(), 0.0);
        assertEquals(Persistence.of(2, 3), p.persistence());
        assertEquals(0.3, p.datasetDriftShare(), 0.0);
        assertEquals(Set.of(DriftTests.PSI, DriftTests.KL), p.decidingTests());
        assertEquals(0.2, p.threshold(DriftTests.PSI).warning(), 0.0);
        assertEquals(0.4, p.threshold(DriftTests.PSI).critical(), 0.0);
        assertEquals(0.5, p.threshold(DriftTests.WASSERSTEIN).critical(), 0.0);
        assertEquals(AlertPolicy.defaults().threshold(DriftTests.JS), p.threshold(DriftTests.JS));
    }

    @Test
    void shouldNameTheKeyTheValueAndWhatIsAllowedWhenAValueIsRejected() {
        assertMentions(rejected("window.size.ms", "-5"), "window.size.ms", "-5", "at least 1");
        assertMentions(rejected("window.size.ms", "five minutes"), "window.size.ms", "five minutes");
        assertMentions(rejected("policy.alpha", "1.5"), "policy.alpha", "1.5", "strictly between 0 and 1");
        assertMentions(rejected("policy.dataset.drift.share", "0"), "policy.dataset.drift.share", "0", "at most 1");
        assertMentions(rejected("policy.psi.warning", "NaN"), "policy.psi.warning", "NaN", "finite");
        assertMentions(rejected("policy.persistence.n", "65"), "policy.persistence.n", "65", "no more than 64");
        assertMentions(rejected("policy.deciding.tests", "psi,ks"), "policy.deciding.tests", "ks",
                "psi, kl, js, wasserstein");
        assertMentions(rejected("policy.deciding.tests", ""), "policy.deciding.tests", "one or more");
        assertMentions(rejected("topic.alerts", "my alerts"), "topic.alerts", "my alerts", "a-z, A-Z, 0-9");
        assertMentions(rejected("application.id", "drift watch"), "application.id", "drift watch");
        assertMentions(rejected("bootstrap.servers", "localhost"), "bootstrap.servers", "'localhost' is not host:port");
        assertMentions(rejected("processing.guarantee", "exactly_once"), "processing.guarantee", "exactly_once",
                "exactly_once_v2");
        assertMentions(rejected("topic.replication.factor", "0"), "topic.replication.factor", "-1");
        assertMentions(rejected("input.partitions", "-1"), "input.partitions", "-1");
        assertMentions(rejected("state.dir", " "), "state.dir");
    }

    @Test
    void shouldRejectSettingsThatAreOnlyWrongTogether() {
        assertMentions(rejected("window.size.ms", "10000", "window.advance.ms", "3000"), "window.advance.ms", "3000",
                "divisor of window.size.ms=10000");
        assertMentions(rejected("window.size.ms", "10000", "window.advance.ms", "20000"), "window.advance.ms", "20000");
        assertMentions(rejected("policy.persistence.m", "3", "policy.persistence.n", "2"), "policy.persistence.m", "3");
        assertMentions(rejected("policy.psi.warning", "0.5", "policy.psi.critical", "0.25"), "policy.psi.warning",
                "0.5", "critical");
        assertEquals(Duration.ofMinutes(1), config("window.size.ms", "300000", "window.advance.ms", "60000")
                .windowAdvance());
    }

    @Test
    void shouldLetEnvironmentWinOverTheFileAndTheCommandLineOverBoth() throws IOException {
        Path file = dir.resolve("driftwatch.properties");
        Files.writeString(file, "application.id=from-file\nwindow.size.ms=60000\nbootstrap.servers=file:9092\n"
                + "topic.alerts=alerts-from-file\n");
        Map<String, String> env = Map.of("DRIFTWATCH_APPLICATION_ID", "from-env",
                "DRIFTWATCH_BOOTSTRAP_SERVERS", "env:9092",
                "DRIFTWATCH_KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "DRIFTWATCH_POLICY_PSI_WARNING", "0.15",
                "OTHER_VARIABLE", "ignored");
        DriftwatchConfig c = DriftwatchConfig.load(file, env, Map.of("bootstrap.servers", "flag:9092"));
        assertEquals("from-env", c.applicationId());
        assertEquals(Duration.ofMinutes(1), c.windowSize(), "the file sets what the environment does not");
        assertEquals("alerts-from-file", c.alertsTopic());
        assertEquals("flag:9092", c.requireBootstrapServers());
        assertEquals("SASL_SSL", c.streamsProperties().get("security.protocol"));
        assertEquals(0.15, c.policy().threshold(DriftTests.PSI).warning(), 0.0);
        assertEquals(List.of(), c.unknownKeys());
    }

    @Test
    void shouldSayWhereABadValueWasSet() throws IOException {
        Path file = dir.resolve("bad.properties");
        Files.writeString(file, "window.grace.ms=-1\n");
        assertMentions(assertThrows(ConfigException.class, () -> DriftwatchConfig.load(file, Map.of(), Map.of()))
                .getMessage(), "window.grace.ms", "-1", "in " + file);
        assertMentions(assertThrows(ConfigException.class, () -> DriftwatchConfig.load(null,
                Map.of("DRIFTWATCH_POLICY_ALPHA", "2"), Map.of())).getMessage(), "policy.alpha", "2",
                "environment variable DRIFTWATCH_POLICY_ALPHA");
        assertMentions(assertThrows(ConfigException.class, () -> DriftwatchConfig.load(dir.resolve("none.properties"),
                Map.of(), Map.of())).getMessage(), "config file not found", "none.properties");
    }

    @Test
    void shouldIgnoreTheLauncherVariablesAndMapEnvironmentNames() {
        DriftwatchConfig c = DriftwatchConfig.load(null, Map.of("DRIFTWATCH_JAVA_OPTS", "-Xmx1g",
                "DRIFTWATCH_NO_REBUILD", "1", "DRIFTWATCH_JAR", "/opt/driftwatch/driftwatch.jar"), Map.of());
        assertEquals(List.of(), c.unknownKeys());
        assertEquals("policy.psi.warning", DriftwatchConfig.keyOfEnvironmentVariable("DRIFTWATCH_POLICY_PSI_WARNING"));
        assertEquals("DRIFTWATCH_TOPIC_INFERENCE_EVENTS", DriftwatchConfig.environmentVariableOf("topic.inference.events"));
    }

    @Test
    void shouldPassKafkaKeysThroughAndKeepDriftwatchKeysOut() {
        DriftwatchConfig c = config("bootstrap.servers", "a:9092,b:9092", "application.id", "dw",
                "state.dir", "/var/lib/driftwatch", "kafka.security.protocol", "SASL_SSL",
                "num.stream.threads", "2", "kafka.num.stream.threads", "4", "commit.interval.ms", "500",
                "replication.factor", "3", "producer.linger.ms", "5", "kafka.topic.min.insync.replicas", "2",
                "auto.register.schemas", "false");
        Properties p = c.streamsProperties();
        assertEquals("dw", p.get("application.id"));
        assertEquals("a:9092,b:9092", p.get("bootstrap.servers"));
        assertEquals("exactly_once_v2", p.get("processing.guarantee"));
        assertEquals("/var/lib/driftwatch", p.get("state.dir"));
        assertEquals("SASL_SSL", p.get("security.protocol"));
        assertEquals("4", p.get("num.stream.threads"), "the kafka. form wins");
        assertEquals("500", p.get("commit.interval.ms"));
        assertEquals("1000", p.get("heartbeat.interval.ms"), "driftwatch's default: rebalances reach every thread sooner");
        assertEquals("2500", config("bootstrap.servers", "a:9092", "heartbeat.interval.ms", "2500").streamsProperties()
                .get("heartbeat.interval.ms"), "a heartbeat interval set is kept");
        assertEquals("3", p.get("replication.factor"));
        assertEquals("5", p.get("producer.linger.ms"));
        assertEquals("2", p.get("topic.min.insync.replicas"));
        for (String own : List.of("window.size.ms", "schema.registry.url", "policy.alpha", "topic.alerts",
                "auto.register.schemas")) {
            assertFalse(p.containsKey(own), own + " is not a Kafka setting");
        }
        assertEquals("false", c.serdeConfig().get("auto.register.schemas"));
        assertEquals(List.of(), c.unknownKeys());
    }

    @Test
    void shouldGiveEachClientOnlyItsOwnKeys() {
        DriftwatchConfig c = config("bootstrap.servers", "a:9092", "kafka.security.protocol", "SSL",
                "num.stream.threads", "2", "admin.request.timeout.ms", "1234", "producer.compression.type", "zstd");
        Properties admin = c.adminProperties();
        assertEquals("SSL", admin.get("security.protocol"));
        assertEquals("1234", admin.get("request.timeout.ms"));
        assertFalse(admin.containsKey("num.stream.threads"));
        assertFalse(admin.containsKey("compression.type"));
        Properties producer = c.producerProperties();
        assertEquals("zstd", producer.get("compression.type"));
        assertEquals("a:9092", producer.get("bootstrap.servers"));
    }

    @Test
    void shouldRejectTheKafkaPrefixOnDriftwatchKeys() {
        assertMentions(rejected("kafka.application.id", "x"), "kafka.application.id", "set application.id without");
        assertMentions(rejected("kafka.bootstrap.servers", "x:1"), "kafka.bootstrap.servers");
    }

    @Test
    void shouldRequireBootstrapServersOnlyWhenConnecting() {
        DriftwatchConfig c = config();
        assertMentions(assertThrows(ConfigException.class, c::streamsProperties).getMessage(), "bootstrap.servers",
                "DRIFTWATCH_BOOTSTRAP_SERVERS");
        assertThrows(ConfigException.class, c::adminProperties);
    }

    @Test
    void shouldKeepRegistryKeysForTheSerdes() {
        DriftwatchConfig c = config("bootstrap.servers", "a:9092", "schema.registry.url", "https://registry:8081",
                "basic.auth.credentials.source", "USER_INFO", "basic.auth.user.info", "svc:pw",
                "schema.registry.ssl.truststore.location", "/etc/ts.jks");
        Map<String, Object> serde = c.serdeConfig();
        assertEquals("https://registry:8081", serde.get("schema.registry.url"));
        assertEquals("USER_INFO", serde.get("basic.auth.credentials.source"));
        assertEquals("svc:pw", serde.get("basic.auth.user.info"));
        assertEquals("/etc/ts.jks", serde.get("schema.registry.ssl.truststore.location"));
        assertFalse(c.streamsProperties().containsKey("basic.auth.user.info"));
        assertFalse(c.usesInMemoryRegistry());
        assertTrue(config().usesInMemoryRegistry());
    }

    @Test
    void shouldWarnAboutUnknownKeysWithoutFailing() {
        DriftwatchConfig c = config("windw.size.ms", "1", "topic.alert", "x");
        assertEquals(List.of("topic.alert", "windw.size.ms"), c.unknownKeys());
        assertEquals(Duration.ofMinutes(5), c.windowSize());
    }

    /** {@link #config} while capturing what is logged meanwhile (slf4j-simple writes to System.err) into {@code log}. */
    private static DriftwatchConfig logging(StringBuilder log, String... keyValues) {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            return config(keyValues);
        } finally {
            System.setErr(original);
            log.append(captured.toString(StandardCharsets.UTF_8));
        }
    }

    @Test
    void shouldNeverShowSecretValues() {
        StringBuilder log = new StringBuilder();
        DriftwatchConfig c = logging(log, "bootstrap.servers", "a:9092",
                "kafka.sasl.jaas.config", "PlainLoginModule required username=\"u\" password=\"jaas-pw\";",
                "kafka.ssl.truststore.password", "truststore-pw", "basic.auth.user.info", "svc:userinfo-pw",
                "my.client.secret", "unknown-secret-pw");
        String logged = log.toString();
        assertMentions(logged, "my.client.secret");
        String shown = c.toString() + "\n" + c.describe() + "\n" + logged;
        for (String secret : List.of("jaas-pw", "truststore-pw", "userinfo-pw", "unknown-secret-pw")) {
            assertFalse(shown.contains(secret), secret + " leaked into: " + shown);
        }
        assertMentions(c.toString(), "kafka.sasl.jaas.config=[hidden]", "kafka.ssl.truststore.password=[hidden]",
                "basic.auth.user.info=[hidden]", "bootstrap.servers=a:9092");
        assertMentions(c.describe(), "kafka.sasl.jaas.config=[hidden]", "window.size.ms=300000");
        assertEquals(List.of("my.client.secret"), c.unknownKeys());
        assertMentions(assertThrows(ConfigException.class, () -> config("kafka.bootstrap.servers", "x:1",
                "kafka.ssl.key.password", "key-pw")).getMessage(), "kafka.bootstrap.servers");
        assertTrue(DriftwatchConfig.isSecret("sasl.jaas.config"));
        assertFalse(DriftwatchConfig.isSecret("basic.auth.credentials.source"));
    }

    @Test
    void shouldHideThePasswordOfARegistryUrlAndOfAnyUrlInAnyValue() {
        StringBuilder log = new StringBuilder();
        DriftwatchConfig c = logging(log, "bootstrap.servers", "a:9092",
                "schema.registry.url", "http://svc:url-pw@registry:8080/apis/ccompat/v7,https://other:8443",
                "kafka.sasl.oauthbearer.token.endpoint.url", "https://idp:oauth-pw@idp.example/token",
                "kafka.sasl.oauthbearer.client.credentials.client.secret", "client-pw",
                "my.api.token", "token-pw", "typo.url", "http://only-a-token@host/");
        String shown = c.toString() + "\n" + c.describe() + "\n" + log;
        for (String secret : List.of("url-pw", "oauth-pw", "client-pw", "token-pw", "only-a-token")) {
            assertFalse(shown.contains(secret), secret + " leaked into: " + shown);
        }
        assertMentions(c.describe(), "schema.registry.url=http://svc:[hidden]@registry:8080/apis/ccompat/v7,https://other:8443",
                "kafka.sasl.oauthbearer.token.endpoint.url=https://idp:[hidden]@idp.example/token");
        assertMentions(c.toString(), "my.api.token=[hidden]", "typo.url=http://[hidden]@host/");
        assertEquals("http://svc:url-pw@registry:8080/apis/ccompat/v7,https://other:8443", c.schemaRegistryUrl(),
                "the client still gets the credentials");
    }

    @Test
    void shouldAllowAtLeastOnceButKeepExactlyOnceByDefault() {
        DriftwatchConfig c = config("bootstrap.servers", "a:9092", "processing.guarantee", "at_least_once");
        assertEquals("at_least_once", c.streamsProperties().get("processing.guarantee"));
    }

    @Test
    void shouldDocumentEveryKeyWithAValidator() {
        var def = DriftwatchConfig.configDef();
        for (var key : def.configKeys().values()) {
            assertFalse(key.documentation == null || key.documentation.isBlank(), key.name + " has no doc");
            assertTrue(key.validator != null, key.name + " has no validator");
        }
        assertTrue(def.names().containsAll(List.of("policy.kl.warning", "policy.kl.critical", "policy.js.warning",
                "policy.wasserstein.warning", "policy.deciding.tests", "input.partitions", "state.dir")));
    }

    @Test
    void shouldTreatEveryKafkaPasswordSettingAndKeyMaterialAsSecret() {
        for (String key : new String[] {"kafka.ssl.keystore.key", "kafka.ssl.key.password",
                "kafka.sasl.oauthbearer.assertion.private.key.passphrase", "producer.ssl.truststore.password"}) {
            org.junit.jupiter.api.Assertions.assertTrue(DriftwatchConfig.isSecret(key), key);
        }
        org.junit.jupiter.api.Assertions.assertFalse(DriftwatchConfig.isSecret("kafka.ssl.keystore.type"));
        org.junit.jupiter.api.Assertions.assertFalse(DriftwatchConfig.isSecret("window.size.ms"));
        DriftwatchConfig config = new DriftwatchConfig(java.util.Map.of("kafka.ssl.keystore.key",
                "-----BEGIN PRIVATE KEY-----abc"));
        org.junit.jupiter.api.Assertions.assertFalse(config.describe().contains("BEGIN PRIVATE KEY"),
                config.describe());
    }
}
