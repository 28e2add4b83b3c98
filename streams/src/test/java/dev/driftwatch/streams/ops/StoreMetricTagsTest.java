package dev.driftwatch.streams.ops;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka Streams' store meters of every store, of both kinds of store, reach /metrics (see {@link StoreMetricTags}). */
class StoreMetricTagsTest {
    @Test
    void shouldPublishTheStoreMetersOfEveryRocksDbAndInMemoryStoreThroughKafkasBinder() {
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        // As Kafka Streams names them: the store's id tag is named after the kind of store.
        store(metrics, "0_0", "rocksdb-state-id", "driftwatch-partition-windows", 2.0);
        store(metrics, "0_1", "rocksdb-state-id", "driftwatch-merged-windows", 3.0);
        store(metrics, "-1_-1", "in-memory-state-id", "driftwatch-baselines-store", 4.0);
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new StoreMetricTags());
        // Micrometer's Kafka binder, as for the application's KafkaStreams, over a client that only has these metrics.
        Consumer<?, ?> client = (Consumer<?, ?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("metrics")) {
                        return metrics;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        try (KafkaClientMetrics binder = new KafkaClientMetrics(client)) {
            binder.bindTo(registry);
            String scraped = registry.scrape();
            for (String store : new String[] {"driftwatch-partition-windows", "driftwatch-merged-windows",
                    "driftwatch-baselines-store"}) {
                assertTrue(scraped.contains("state_id=\"" + store + "\""), store + " missing from:\n" + scraped);
            }
        }
    }

    private static void store(Map<MetricName, Metric> metrics, String task, String idTag, String store, double value) {
        MetricName name = new MetricName("get-rate", "stream-state-metrics", "gets per second",
                Map.of("thread-id", "app-StreamThread-1", "task-id", task, idTag, store));
        metrics.put(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }
}
