package dev.driftwatch.streams.ops;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metric names that deploy/ (alert rules, dashboard) uses, and how to find them in PromQL. */
final class OpsMetricNames {
    /**
     * Kafka client and Streams meters (Micrometer's binder) that the alert rules and the dashboard use;
     * {@code OpsEndpointsIntegrationTest} checks that a running instance serves every one.
     */
    static final List<String> KAFKA_USED = List.of(
            "kafka_consumer_fetch_manager_records_lag_max",
            "kafka_stream_alive_stream_threads",
            "kafka_stream_failed_stream_threads_total",
            "kafka_stream_thread_process_rate",
            "kafka_stream_thread_commit_latency_avg");

    private static final Pattern NAME = Pattern.compile("\\b((?:driftwatch|kafka)_[a-z0-9_]+)\\b");
    private static final List<String> HISTOGRAM_SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

    private OpsMetricNames() {
    }

    /**
     * Every driftwatch_* and kafka_* name that the Grafana dashboard (its panels and variables) and the
     * Prometheus alert rules query, read from the files under deploy/.
     */
    static Set<String> usedByDeploy() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("docker-compose.yml"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IOException("docker-compose.yml not found above " + Path.of("").toAbsolutePath());
        }
        StringBuilder queries = new StringBuilder();
        JsonNode dashboard = new ObjectMapper().readTree(dir.resolve("deploy/grafana/dashboards/driftwatch.json")
                .toFile());
        dashboard.path("panels").forEach(panel -> panel.path("targets")
                .forEach(t -> queries.append(t.path("expr").asText()).append('\n')));
        dashboard.path("templating").path("list").forEach(v -> queries.append(v.path("definition").asText())
                .append('\n'));
        try (Reader r = Files.newBufferedReader(dir.resolve("deploy/prometheus/alerts.yml"))) {
            Map<?, ?> rules = new Yaml().load(r);
            for (Object group : (List<?>) rules.get("groups")) {
                for (Object rule : (List<?>) ((Map<?, ?>) group).get("rules")) {
                    queries.append(((Map<?, ?>) rule).get("expr")).append('\n');
                }
            }
        }
        return in(queries.toString());
    }

    /** Whether a Prometheus scrape has a series of the name. */
    static boolean isIn(String scrape, String name) {
        return scrape.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }

    /** The driftwatch_* and kafka_* names in a PromQL expression. */
    static Set<String> in(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = NAME.matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Whether {@code name} is one that driftwatch serves: its own meters (with histogram suffixes) or {@link #KAFKA_USED}. */
    static boolean isServed(String name) {
        if (KAFKA_USED.contains(name) || DriftwatchMetrics.NAMES.contains(name)) {
            return true;
        }
        for (String suffix : HISTOGRAM_SUFFIXES) {
            if (name.endsWith(suffix)
                    && DriftwatchMetrics.NAMES.contains(name.substring(0, name.length() - suffix.length()))) {
                return true;
            }
        }
        return false;
    }
}
