package dev.driftwatch.streams.ops;

import java.util.List;
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
