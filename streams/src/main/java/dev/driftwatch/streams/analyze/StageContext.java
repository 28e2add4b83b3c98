package dev.driftwatch.streams.analyze;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.StreamsMetrics;
import org.apache.kafka.streams.processor.Cancellable;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The little of a {@link ProcessorContext} that the pipeline's processors use, for {@link OfflineTopology}:
 * their stores by name, the current record's topic, partition and offset, a wall clock that stands still (as
 * Kafka Streams' test driver's does), and a downstream that takes what they forward. Nothing is scheduled here,
 * and the commits the processors ask for are no-ops: offline, what a stage forwards reaches the next one at once.
 */
final class StageContext<K, V> implements ProcessorContext<K, V> {
    private final String applicationId;
    private final TaskId taskId;
    private final Map<String, StateStore> stores;
    private final long wallClockMs;
    private final Consumer<Record<K, V>> downstream;
    private final Metadata metadata = new Metadata();
    private final Optional<RecordMetadata> current = Optional.of(metadata);
    private boolean processing;

    /**
     * @param stores     the stores the processor is connected to, by name
     * @param downstream takes every record the processor forwards, at once
     */
    StageContext(String applicationId, TaskId taskId, Map<String, StateStore> stores, long wallClockMs,
                 Consumer<Record<K, V>> downstream) {
        this.applicationId = applicationId;
        this.taskId = taskId;
        this.stores = Map.copyOf(stores);
        this.wallClockMs = wallClockMs;
        this.downstream = downstream;
    }

    /** The record about to be processed comes from this topic, partition 0, at this offset. */
    void at(String topic, long offset) {
        metadata.topic = topic;
        metadata.offset = offset;
        processing = true;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record) {
        downstream.accept((Record<K, V>) record);
    }

    @Override
    public <K1 extends K, V1 extends V> void forward(Record<K1, V1> record, String childName) {
        throw new UnsupportedOperationException("the pipeline's processors forward to all their children");
    }

    @Override
    public String applicationId() {
        return applicationId;
    }

    @Override
    public TaskId taskId() {
        return taskId;
    }

    @Override
    public Optional<RecordMetadata> recordMetadata() {
        return processing ? current : Optional.empty();
    }

    @Override
    public Serde<?> keySerde() {
        return null;
    }

    @Override
    public Serde<?> valueSerde() {
        return null;
    }

    @Override
    public File stateDir() {
        throw new UnsupportedOperationException("offline analysis keeps no state on disk");
    }

    @Override
    public StreamsMetrics metrics() {
        throw new UnsupportedOperationException("offline analysis registers no Kafka Streams metrics");
    }

    @Override
    @SuppressWarnings("unchecked")
    public <S extends StateStore> S getStateStore(String name) {
        StateStore store = stores.get(name);
        if (store == null) {
            throw new IllegalStateException("store " + name + " is not connected to this processor");
        }
        return (S) store;
    }

    @Override
    public Cancellable schedule(Duration interval, PunctuationType type, Punctuator callback) {
        throw new UnsupportedOperationException("the pipeline's processors schedule no punctuation");
    }

    @Override
    public void commit() {
    }

    @Override
    public Map<String, Object> appConfigs() {
        return Map.of();
    }

    @Override
    public Map<String, Object> appConfigsWithPrefix(String prefix) {
        return Map.of();
    }

    @Override
    public long currentSystemTimeMs() {
        return wallClockMs;
    }

    @Override
    public long currentStreamTimeMs() {
        throw new UnsupportedOperationException("the pipeline's processors keep their own stream time");
    }

    private static final class Metadata implements RecordMetadata {
        private String topic;
        private long offset;

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public int partition() {
            return 0;
        }

        @Override
        public long offset() {
            return offset;
        }
    }
}
