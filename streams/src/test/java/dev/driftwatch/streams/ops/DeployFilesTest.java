package dev.driftwatch.streams.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.driftwatch.streams.config.DriftwatchConfig;
import dev.driftwatch.streams.slo.ServiceLevelSettings;
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

    @Test
    void shouldComposeForV1AndV2KeepTheRegistrysSchemasAndTurnOnTheSignalsTheDashboardShows() throws IOException {
        Map<String, Object> compose = yaml("docker-compose.yml");
        assertFalse(compose.containsKey("name"), "Compose v1 rejects a top-level name:");
        assertFalse(compose.containsKey("version"), "the Compose specification has no version:");
        Map<String, Object> services = map(compose, "services");
        Map<String, String> registry = strings(map(map(services, "registry"), "environment"));
        assertEquals("kafkasql", registry.get("APICURIO_STORAGE_KIND"), "schemas kept in Kafka, on its volume");
        Map<String, String> env = strings(map(map(services, "driftwatch"), "environment"));
        DriftwatchConfig config = configOf(env);
        assertEquals(String.join(",", config.bootstrapServers()), registry.get("APICURIO_KAFKASQL_BOOTSTRAP_SERVERS"));
        assertTrue(map(map(services, "registry"), "depends_on").containsKey("kafka"));
        assertTrue(strings(compose.get("volumes") == null ? List.of() : List.copyOf(map(compose, "volumes").keySet()))
                .contains(strings(map(services, "kafka").get("volumes")).get(0).split(":")[0]),
                "the broker's data (and so the schemas) is on a named volume");

        String dashboard = Files.readString(root.resolve("deploy/grafana/dashboards/driftwatch.json"));
        assertEquals(dashboard.contains(DriftwatchMetrics.SLO_BURN_RATE), ServiceLevelSettings.of(config.signals()).enabled(),
                "slo.enabled in compose exactly when the dashboard charts burn rates");
    }

    @Test
    void shouldLeaveBuildOutputAndHistoryOutOfTheDockerBuildContext() throws IOException {
        List<String> patterns = Files.readAllLines(root.resolve(".dockerignore")).stream()
                .map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
        assertTrue(patterns.containsAll(List.of(".git", "**/target")), patterns.toString());
        List<java.nio.file.PathMatcher> matchers = new ArrayList<>();
        for (String p : patterns) {
            matchers.add(root.getFileSystem().getPathMatcher("glob:" + p));
            if (p.startsWith("**/")) {
                matchers.add(root.getFileSystem().getPathMatcher("glob:" + p.substring(3)));
            }
        }
        long[] size = {0};
        List<String> sent = new ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes a) {
                return !dir.equals(root) && ignored(root.relativize(dir)) ? java.nio.file.FileVisitResult.SKIP_SUBTREE
                        : java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes a) {
                Path rel = root.relativize(file);
                if (!ignored(rel)) {
                    size[0] += a.size();
                    sent.add(rel.toString());
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            private boolean ignored(Path rel) {
                return matchers.stream().anyMatch(m -> m.matches(rel));
            }
        });
        assertTrue(size[0] < 20_000_000L, "the build context is " + size[0] + " bytes");
        for (String needed : List.of("mvnw", "pom.xml", ".mvn/wrapper/maven-wrapper.properties", "streams/pom.xml",
                "schemas/pom.xml", "detectors/pom.xml", "bench/pom.xml")) {
            assertTrue(sent.contains(needed), needed + " is needed by deploy/Dockerfile's build");
        }
    }

    @Test
    void shouldWaitForKafkaCreateTheTopicsAndNeedNoSecretInKubernetes() throws IOException {
        String text = Files.readString(root.resolve("deploy/k8s/statefulset.yaml"));
        Map<String, Object> pod = map(map(map(yaml("deploy/k8s/statefulset.yaml"), "spec"), "template"), "spec");
        Map<String, Object> container = listOfMaps(pod, "containers").get(0);
        String image = String.valueOf(container.get("image"));
        assertTrue(image.matches("[a-z0-9.-]+\\.[a-z]+/driftwatch:[0-9.]+"), "a registry/name:tag reference: " + image);
        assertTrue(text.contains("placeholder") && text.contains("kubectl set image"), "the placeholder is explained");
        assertTrue(strings(container.get("args")).containsAll(List.of("run", "--create-topics")));
        Map<String, Object> secretRef = listOfMaps(container, "envFrom").stream()
                .filter(e -> e.containsKey("secretRef")).map(e -> map(e, "secretRef")).findFirst().orElseThrow();
        assertEquals(Boolean.TRUE, secretRef.get("optional"));

        Map<String, Object> wait = listOfMaps(pod, "initContainers").get(0);
        String script = String.join("\n", strings(wait.get("args")));
        assertTrue(script.contains("$" + "{DRIFTWATCH_BOOTSTRAP_SERVERS") && script.contains("nc -z"), script);
        assertFalse(script.contains("$("), "kubelet would expand $(...) itself");
        assertEquals(String.valueOf(map(yaml("deploy/k8s/configmap.yaml"), "metadata").get("name")),
                String.valueOf(map(listOfMaps(wait, "envFrom").get(0), "configMapRef").get("name")));
    }

    @Test
    void shouldGiveAFirstDeploymentEverySettingItNeedsInTheExampleProperties() throws IOException {
        Path file = root.resolve("deploy/driftwatch.properties");
        DriftwatchConfig config = DriftwatchConfig.load(file, Map.of(), Map.of());
        assertEquals(List.of(), config.unknownKeys(), "every key is a real one");
        java.util.Properties props = new java.util.Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            props.load(r);
        }
        for (String key : List.of(DriftwatchConfig.BOOTSTRAP_SERVERS_CONFIG, DriftwatchConfig.SCHEMA_REGISTRY_URL_CONFIG,
                DriftwatchConfig.APPLICATION_ID_CONFIG, DriftwatchConfig.STATE_DIR_CONFIG,
                DriftwatchConfig.TOPIC_INFERENCE_EVENTS_CONFIG, DriftwatchConfig.TOPIC_ALERTS_CONFIG,
                DriftwatchConfig.TOPIC_REPLICATION_FACTOR_CONFIG, DriftwatchConfig.WINDOW_SIZE_MS_CONFIG,
                "http.bind.address", "http.port")) {
            assertTrue(props.containsKey(key), key + " is set");
        }
        assertFalse(config.usesInMemoryRegistry(), "a deployment shares a real registry");
        List<String> lines = Files.readAllLines(file);
        long comments = lines.stream().filter(l -> l.startsWith("#")).count();
        assertTrue(comments > props.size(), comments + " comment lines for " + props.size() + " settings");
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
