package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.Baseline;
import dev.driftwatch.streams.PipelineMetrics;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;

/**
 * Keeps the global baselines store in step with the compacted baselines topic, as the records' bytes, or for a
 * numeric baseline (with the instance's cache) as its record without grid and reference, which are held once per
 * content ({@link SharedReferences}); {@link BaselineLookup} parses a subject's baseline when its stored value
 * changes. A record that cannot be read is logged and skipped: a bad baseline must not stop the pipeline.
 */
public final class BaselineLoader implements Processor<byte[], byte[], Void, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(BaselineLoader.class);
    private final Deserializer<Baseline> deserializer;
    private final PipelineMetrics metrics;
    private final BaselineCache cache;
    private KeyValueStore<String, byte[]> store;
    private String topic = "driftwatch-baselines";

    /** @param metrics told of every record that cannot be read (and of its key once it can) */
    public BaselineLoader(Deserializer<Baseline> deserializer, PipelineMetrics metrics) {
        this(deserializer, metrics, null);
    }

    /**
     * @param metrics told of every record that cannot be read (and of its key once it can)
     * @param cache   the instance's parsed baselines, told of every change (or null)
     */
    public BaselineLoader(Deserializer<Baseline> deserializer, PipelineMetrics metrics, BaselineCache cache) {
        this.deserializer = deserializer;
        this.metrics = metrics;
        this.cache = cache;
    }

    private void changed(String key) {
        if (cache != null) {
            cache.invalidate(key);
        }
        BaselineLookup.changed();
    }

    private void release(byte[] old) {
        if (cache != null) {
            cache.shared().release(old);
        }
    }

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        store = context.getStateStore(BaselineLookup.STORE);
        context.recordMetadata().ifPresent(m -> topic = m.topic());
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        if (record.key() == null) {
            LOG.warn("skipping a baseline record without key; keys are model/version/subject");
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (record.value() == null) {
            byte[] old = store.delete(key);
            changed(key);
            release(old);
            metrics.baselineUnreadable(key, null);
            return;
        }
        try {
            Baseline readable = deserializer.deserialize(topic, record.headers(), record.value()); // or skipped
            byte[] value = cache == null ? record.value() : cache.shared().store(readable, record.value());
            byte[] old = store.get(key);
            store.put(key, value);
            changed(key);
            release(old); // after the new value is in: a lookup that read the old one reads the store again
            metrics.baselineUnreadable(key, null);
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable baseline for {}: {}", key, e.getMessage());
            metrics.baselineUnreadable(key, String.valueOf(e.getMessage()));
        }
    }
}
