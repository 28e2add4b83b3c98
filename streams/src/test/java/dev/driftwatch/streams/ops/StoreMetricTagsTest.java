package dev.driftwatch.streams.ops;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kafka Streams' store meters of both kinds of store reach /metrics (see {@link StoreMetricTags}). */
class StoreMetricTagsTest {
    @Test
    void shouldPublishTheStoreMetersOfRocksDbAndInMemoryStoresUnderOneName() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new StoreMetricTags());
        // As Kafka Streams' binder names them: the store's id tag is named after the kind of store.
        registry.gauge("kafka.stream.state.get.rate", Tags.of("kafka.version", "4.1.1", "rocksdb.state.id",
                "driftwatch-partition-windows", "task.id", "0_0", "thread.id", "t1"), 2.0);
        registry.gauge("kafka.stream.state.get.rate", Tags.of("kafka.version", "4.1.1", "in.memory.state.id",
                "driftwatch-baselines-store", "task.id", "-1_-1", "thread.id", "g"), 3.0);
        String scraped = registry.scrape();
        assertTrue(scraped.contains("state_id=\"driftwatch-partition-windows\""), scraped);
        assertTrue(scraped.contains("state_id=\"driftwatch-baselines-store\""), scraped);
        assertTrue(scraped.contains("store_type=\"in.memory\""), scraped);
        assertTrue(scraped.contains("store_type=\"rocksdb\""), scraped);
    }
}
