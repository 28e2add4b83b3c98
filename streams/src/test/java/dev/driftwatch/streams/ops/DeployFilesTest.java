package dev.driftwatch.streams.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftwatch.streams.config.DriftwatchConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker-compose.yml and deploy/ cannot run here (no Docker engine, no cluster): these tests parse every
 * file and check that it stays in step with the code: real config keys, the HTTP port and paths, the
 * metric names the code registers, the Kafka version of the build.
 */
class DeployFilesTest {
    private static Path root;

    @BeforeAll
    static void findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "docker-compose.yml not found above " + Path.of("").toAbsolutePath());
        root = dir;
    }

    @Test
    void shouldParseEveryYamlAndJsonFile() throws IOException {
        List<Path> files = new ArrayList<>(List.of(root.resolve("docker-compose.yml")));
        try (Stream<Path> walk = Files.walk(root.resolve("deploy"))) {
            walk.filter(p -> p.toString().matches(".*\\.(ya?ml|json)$") && !p.toString().contains("/.work/"))
                    .forEach(files::add);
        }
        assertTrue(files.size() >= 10, files.toString());
        for (Path f : files) {
            if (f.toString().endsWith(".json")) {
                assertNotNull(new ObjectMapper().readTree(f.toFile()), f.toString());
            } else {
                try (Reader r = Files.newBufferedReader(f)) {
                    int docs = 0;
                    for (Object doc : new Yaml().loadAll(r)) {
                        assertTrue(doc instanceof Map, f + ": a document is not a mapping");
                        docs++;
                    }
                    assertTrue(docs > 0, f + " is empty");
                }
            }
        }
    }

    @Test
    void shouldComposeKafkaInKraftModeRegistryDriftwatchPrometheusAndGrafana() throws IOException {
        Map<String, Object> services = map(yaml("docker-compose.yml"), "services");
        assertEquals(List.of("kafka", "registry", "driftwatch", "prometheus", "grafana"), List.copyOf(services.keySet()));
        Map<String, Object> kafka = map(services, "kafka");
        assertEquals("apache/kafka:" + rootPomProperty("kafka.version"), kafka.get("image"),
                "the broker image follows kafka.version of pom.xml");
        assertTrue(String.valueOf(map(kafka, "environment").get("KAFKA_PROCESS_ROLES")).contains("controller"), "KRaft");

        Map<String, Object> driftwatch = map(services, "driftwatch");
        assertEquals("deploy/Dockerfile", map(driftwatch, "build").get("dockerfile"));
        Map<String, String> env = strings(map(driftwatch, "environment"));
        DriftwatchConfig config = configOf(env);
        assertEquals("0.0.0.0", config.httpBindAddress(), "reachable from the other containers");
        assertTrue(strings(driftwatch.get("ports")).contains(config.httpPort() + ":" + config.httpPort()));
        assertEquals(DriftwatchConfig.DEFAULT_HTTP_PORT, config.httpPort());
        assertEquals(List.of("kafka:9092"), config.bootstrapServers());
        assertTrue(config.schemaRegistryUrl().startsWith("http://registry:8080/"), config.schemaRegistryUrl());
        assertEquals("driftwatch:" + config.httpPort(), config.applicationServer().orElseThrow());

        Map<String, Object> prometheus = map(services, "prometheus");
        for (String volume : strings(prometheus.get("volumes"))) {
            assertTrue(Files.exists(root.resolve(volume.split(":")[0])), volume);
        }
        Map<String, Object> grafana = map(services, "grafana");
        List<String> grafanaVolumes = strings(grafana.get("volumes"));
        assertTrue(grafanaVolumes.contains("./deploy/grafana/provisioning:/etc/grafana/provisioning:ro"), grafanaVolumes.toString());
        String dashboards = grafanaVolumes.stream().filter(v -> v.startsWith("./deploy/grafana/dashboards:"))
                .findFirst().orElseThrow().split(":")[1];
        Map<String, Object> provider = listOfMaps(yaml("deploy/grafana/provisioning/dashboards/driftwatch.yml"),
                "providers").get(0);
        assertEquals(dashboards, map(provider, "options").get("path"), "the provisioned dashboards folder is mounted");
        assertTrue(String.valueOf(map(grafana, "environment").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"))
                .startsWith(dashboards + "/"));
    }

    @Test
    void shouldScrapeTheMetricsPathOnTheHttpPortWithTheAlertRulesLoaded() throws IOException {
        Map<String, Object> prom = yaml("deploy/prometheus/prometheus.yml");
        Map<String, Object> job = listOfMaps(prom, "scrape_configs").stream()
                .filter(j -> "driftwatch".equals(j.get("job_name"))).findFirst().orElseThrow();
        assertEquals(OpsHttpServer.METRICS_PATH, job.get("metrics_path"));
        List<String> targets = strings(map(listOfMaps(job, "static_configs").get(0), "").get("targets"));
        Map<String, String> env = strings(map(map(map(yaml("docker-compose.yml"), "services"), "driftwatch"),
                "environment"));
        assertEquals(List.of("driftwatch:" + env.get("DRIFTWATCH_HTTP_PORT")), targets);

        List<String> ruleFiles = strings(prom.get("rule_files"));
        List<String> prometheusVolumes = strings(map(map(yaml("docker-compose.yml"), "services"), "prometheus")
                .get("volumes"));
        for (String file : ruleFiles) {
            assertTrue(prometheusVolumes.stream().anyMatch(v -> v.split(":")[1].equals(file)),
                    file + " is mounted into the container");
        }
    }

    @Test
    void shouldAlertOnlyOnMetricsTheCodeRegisters() throws IOException {
        int rules = 0;
        for (Map<String, Object> group : listOfMaps(yaml("deploy/prometheus/alerts.yml"), "groups")) {
            for (Map<String, Object> rule : listOfMaps(group, "rules")) {
                String expr = String.valueOf(rule.get("expr"));
                assertNotNull(rule.get("alert"), expr);
                assertNotNull(map(rule, "labels").get("severity"), rule.get("alert") + " has a severity");
                for (String name : OpsMetricNames.in(expr)) {
                    assertTrue(OpsMetricNames.isServed(name), rule.get("alert") + " uses " + name
                            + ", which driftwatch does not register");
                }
                rules++;
            }
        }
        assertTrue(rules >= 8, rules + " rules");
        for (String name : List.of(DriftwatchMetrics.ALERT_SEVERITY, DriftwatchMetrics.DEAD_LETTERS,
                DriftwatchMetrics.LATE_EVENTS, DriftwatchMetrics.WINDOWS_EVALUATED)) {
            assertTrue(Files.readString(root.resolve("deploy/prometheus/alerts.yml")).contains(name), name);
        }
    }

    @Test
    void shouldChartOnlyMetricsTheCodeRegistersFromTheProvisionedDatasource() throws IOException {
        JsonNode dashboard = new ObjectMapper().readTree(root.resolve("deploy/grafana/dashboards/driftwatch.json").toFile());
        String uid = String.valueOf(listOfMaps(yaml("deploy/grafana/provisioning/datasources/prometheus.yml"),
                "datasources").get(0).get("uid"));
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                exprs.add(target.path("expr").asText());
                assertEquals(uid, target.path("datasource").path("uid").asText(), panel.path("title").asText());
            }
        }
        for (JsonNode variable : dashboard.path("templating").path("list")) {
            exprs.add(variable.path("definition").asText());
        }
        assertTrue(exprs.size() >= 20, exprs.size() + " queries");
        String all = String.join("\n", exprs);
        for (String name : OpsMetricNames.in(all)) {
            assertTrue(OpsMetricNames.isServed(name), "the dashboard uses " + name + ", which driftwatch does not register");
        }
        for (String wanted : List.of(DriftwatchMetrics.STATISTIC, DriftwatchMetrics.ALERT_FIRING,
                DriftwatchMetrics.WINDOW_MEAN + "{", DriftwatchMetrics.LATENCY + "_bucket",
                "kafka_consumer_fetch_manager_records_lag_max")) {
            assertTrue(all.contains(wanted), "a panel shows " + wanted);
        }
    }

    @Test
    void shouldProbeTheHealthEndpointsAndKeepStateOnAPersistentVolumeInKubernetes() throws IOException {
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(root.resolve("deploy/k8s"))) {
            for (Path f : files.toList()) {
                try (Reader r = Files.newBufferedReader(f)) {
                    for (Object doc : new Yaml().loadAll(r)) {
                        @SuppressWarnings("unchecked")
                        Map<String, Object> m = (Map<String, Object>) doc;
                        byKind.put(String.valueOf(m.get("kind")), m);
                    }
                }
            }
        }
        assertTrue(byKind.keySet().containsAll(List.of("StatefulSet", "Service", "ConfigMap", "Secret")), byKind.keySet().toString());
        Map<String, String> env = new LinkedHashMap<>(strings(map(byKind.get("ConfigMap"), "data")));
        env.putAll(strings(map(byKind.get("Secret"), "stringData")));

        Map<String, Object> pod = map(map(map(byKind.get("StatefulSet"), "spec"), "template"), "spec");
        Map<String, Object> container = listOfMaps(pod, "containers").get(0);
        for (Map<String, Object> e : listOfMaps(container, "env")) {
            if (String.valueOf(e.get("name")).startsWith(DriftwatchConfig.ENV_PREFIX)) {
                env.put(String.valueOf(e.get("name")), String.valueOf(e.get("value")));
            }
        }
        DriftwatchConfig config = configOf(env);
        assertEquals("0.0.0.0", config.httpBindAddress());
        Map<String, Object> port = listOfMaps(container, "ports").get(0);
        assertEquals(config.httpPort(), port.get("containerPort"));
        assertEquals(OpsHttpServer.LIVE_PATH, map(map(container, "livenessProbe"), "httpGet").get("path"));
        assertEquals(OpsHttpServer.READY_PATH, map(map(container, "readinessProbe"), "httpGet").get("path"));
        assertEquals(port.get("name"), map(map(container, "readinessProbe"), "httpGet").get("port"));
        assertTrue(config.applicationServer().orElseThrow().endsWith(":" + config.httpPort()));

        List<String> sources = new ArrayList<>();
        for (Map<String, Object> from : listOfMaps(container, "envFrom")) {
            from.values().forEach(ref -> sources.add(String.valueOf(((Map<?, ?>) ref).get("name"))));
        }
        assertTrue(sources.contains(String.valueOf(map(byKind.get("ConfigMap"), "metadata").get("name"))));
        assertTrue(sources.contains(String.valueOf(map(byKind.get("Secret"), "metadata").get("name"))));

        String claim = String.valueOf(map(listOfMaps(map(byKind.get("StatefulSet"), "spec"), "volumeClaimTemplates")
                .get(0), "metadata").get("name"));
        Map<String, Object> mount = listOfMaps(container, "volumeMounts").stream()
                .filter(m -> claim.equals(m.get("name"))).findFirst().orElseThrow();
        assertEquals(config.stateDir().orElseThrow(), mount.get("mountPath"), "state.dir is on the persistent volume");
        assertEquals(map(byKind.get("Service"), "metadata").get("name"), map(byKind.get("StatefulSet"), "spec")
                .get("serviceName"));
    }

    @Test
    void shouldBuildTheImageFromTheShadedJarAndFetchTheBrokerOfTheBuildsKafkaVersion() throws IOException {
        String dockerfile = Files.readString(root.resolve("deploy/Dockerfile"));
        assertTrue(dockerfile.contains("/src/streams/target/driftwatch.jar"), "the shade plugin's finalName");
        Map<String, String> env = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(DRIFTWATCH_[A-Z_]+)=(\\S+)").matcher(dockerfile);
        while (m.find()) {
            env.put(m.group(1), m.group(2));
        }
        assertFalse(env.isEmpty());
        configOf(env);
        String brokerPom = Files.readString(root.resolve("deploy/kafka/pom.xml"));
        assertTrue(brokerPom.contains("<kafka.version>" + rootPomProperty("kafka.version") + "</kafka.version>"),
                "deploy/kafka/pom.xml follows kafka.version of pom.xml");
        assertTrue(Files.isExecutable(root.resolve("deploy/kafka/start-kraft.sh")));
    }

    /** A configuration from DRIFTWATCH_* variables; fails on a variable that names no key. */
    @Test
    void shouldLetOnlyOperatorsWriteTheControlTopicInTheAclScript() throws Exception {
        // PRINT_ONLY prints the kafka-acls.sh commands instead of running them
        ProcessBuilder printOnly = new ProcessBuilder("bash", root.resolve("deploy/kafka/acls.sh").toString())
                .redirectErrorStream(true);
        printOnly.environment().put("PRINT_ONLY", "1");
        printOnly.environment().put("COMMAND_CONFIG", "admin.properties");
        Process run = printOnly.start();
        String out = new String(run.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, run.waitFor(), out);
        List<String> commands = out.lines().toList();
        for (String c : commands) {
            assertTrue(c.startsWith("kafka-acls.sh --bootstrap-server 127.0.0.1:9092 --command-config admin.properties"
                    + " --add "), c);
        }
        String control = " --topic " + dev.driftwatch.streams.Topics.CONTROL;
        List<String> writesControl = commands.stream()
                .filter(c -> c.endsWith(control) && c.contains("--operation Write")).toList();
        assertEquals(List.of(
                "--deny-principal User:driftwatch --operation Write" + control,
                "--allow-principal User:driftwatch-operator --operation Write --operation Describe" + control),
                writesControl.stream().map(c -> c.substring(c.indexOf(" --add ") + 7)).toList());
        assertTrue(commands.stream().anyMatch(c -> c.endsWith("--allow-principal User:driftwatch --operation Read"
                + " --operation Describe" + control)), out);
        for (String output : List.of(dev.driftwatch.streams.Topics.WINDOW_STATS, dev.driftwatch.streams.Topics.ALERTS,
                dev.driftwatch.streams.Topics.DEAD_LETTERS, dev.driftwatch.streams.Topics.CONTROL_RESULTS,
                dev.driftwatch.streams.Topics.BUSINESS_METRICS, dev.driftwatch.streams.Topics.SERVICE_LEVELS,
                dev.driftwatch.streams.Topics.ROLE_COMPARISONS, dev.driftwatch.streams.Topics.REVIEW)) {
            assertTrue(commands.stream().anyMatch(c -> c.endsWith("--allow-principal User:driftwatch --operation Write"
                    + " --operation Describe --topic " + output)), output + " is written by driftwatch: " + out);
        }
        for (String input : List.of(dev.driftwatch.streams.Topics.EVENTS, dev.driftwatch.streams.Topics.OUTCOMES,
                dev.driftwatch.streams.Topics.BASELINES)) {
            assertTrue(commands.stream().anyMatch(c -> c.contains("--allow-principal User:driftwatch --operation Read")
                    && c.endsWith(" --topic " + input)), input + " is read by driftwatch: " + out);
        }
        String app = DriftwatchConfig.DEFAULT_APPLICATION_ID;
        assertTrue(commands.stream().anyMatch(c -> c.endsWith("--group " + app)), out);
        assertTrue(commands.stream().anyMatch(c -> c.contains("--resource-pattern-type prefixed")
                && c.endsWith("--transactional-id " + app + "-")), out);
    }

    private static DriftwatchConfig configOf(Map<String, String> env) {
        for (String var : env.keySet()) {
            assertTrue(var.startsWith(DriftwatchConfig.ENV_PREFIX), var);
        }
        DriftwatchConfig config = DriftwatchConfig.load(null, env, Map.of());
        assertEquals(List.of(), config.unknownKeys(), "every variable names a real key: " + env.keySet());
        return config;
    }

    private static String rootPomProperty(String name) throws IOException {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</").matcher(Files.readString(root.resolve("pom.xml")));
        assertTrue(m.find(), name);
        return m.group(1);
    }

    private static Map<String, Object> yaml(String file) throws IOException {
        try (Reader r = Files.newBufferedReader(root.resolve(file))) {
            return new Yaml().load(r);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> parent, String key) {
        Object v = key.isEmpty() ? parent : parent.get(key);
        assertTrue(v instanceof Map, key + " is a mapping: " + v);
        return (Map<String, Object>) v;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOfMaps(Map<String, Object> parent, String key) {
        Object v = parent.get(key);
        assertTrue(v instanceof List, key + " is a list: " + v);
        return (List<Map<String, Object>>) v;
    }

    private static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static List<String> strings(Object list) {
        assertTrue(list instanceof List, "a list: " + list);
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}
