package dev.driftwatch.streams.ops;

import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka Streams' store meters of every store, of both kinds of store, reach /metrics (see {@link StoreMetricTags}). */
class StoreMetricTagsTest {
    private static final List<String> STORES =
            List.of("driftwatch-partition-windows", "driftwatch-merged-windows", "driftwatch-baselines-store");

    private final Map<MetricName, Metric> metrics = new ConcurrentHashMap<>();
    /** The binder's refresh, run by the test instead of a scheduler. */
    private final AtomicReference<Runnable> refresh = new AtomicReference<>();

    @Test
    void shouldPublishTheStoreMetersOfEveryRocksDbAndInMemoryStoreThroughKafkasBinder() {
        PrometheusMeterRegistry registry = StoreMetricTags.registry();
        try (KafkaClientMetrics binder = binder()) {
            binder.bindTo(registry);
            String scraped = registry.scrape();
            for (String store : STORES) {
                assertTrue(scraped.contains("state_id=\"" + store + "\""), store + " missing from:\n" + scraped);
            }
        }
    }

    @Test
    void shouldRemoveTheMetersOfAStoreWhoseTaskMovedAwayAndBringThemBackWhenItReturns() {
        PrometheusMeterRegistry registry = StoreMetricTags.registry();
        try (KafkaClientMetrics binder = binder()) {
            binder.bindTo(registry);
            assertTrue(registry.scrape().contains("state_id=\"driftwatch-merged-windows\""));

            // Task 0_1 is revoked: Kafka Streams closes its store and drops its metrics.
            MetricName moved = metrics.keySet().stream()
                    .filter(n -> n.tags().get("task-id").equals("0_1")).findFirst().orElseThrow();
            Metric metric = metrics.remove(moved);
            refresh.get().run();
            String scraped = registry.scrape();
            assertFalse(scraped.contains("state_id=\"driftwatch-merged-windows\""),
                    "the moved task's store is still on /metrics:\n" + scraped);
            assertTrue(scraped.contains("state_id=\"driftwatch-partition-windows\""), scraped);

            // The task comes back.
            metrics.put(moved, metric);
            refresh.get().run();
            assertTrue(registry.scrape().contains("state_id=\"driftwatch-merged-windows\""));
        }
    }

    /** Micrometer's Kafka binder, as for the application's KafkaStreams, over a client with only {@link #metrics}. */
    private KafkaClientMetrics binder() {
        // As Kafka Streams names them: the store's id tag is named after the kind of store.
        store("0_0", "rocksdb-state-id", STORES.get(0), 2.0);
        store("0_1", "rocksdb-state-id", STORES.get(1), 3.0);
        store("-1_-1", "in-memory-state-id", STORES.get(2), 4.0);
        Consumer<?, ?> client = (Consumer<?, ?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {Consumer.class}, (proxy, method, args) -> {
                    if (method.getName().equals("metrics")) {
                        return Map.copyOf(metrics);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        ScheduledExecutorService scheduler = (ScheduledExecutorService) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {ScheduledExecutorService.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("scheduleAtFixedRate")) {
                        refresh.set((Runnable) args[0]);
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        return new KafkaClientMetrics(client, List.of(), scheduler, Duration.ofHours(1));
    }

    private void store(String task, String idTag, String store, double value) {
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
