package dev.driftwatch.streams;

import org.apache.kafka.common.serialization.Serde;

import java.util.Objects;

/**
 * One topic: its name and the serdes of its keys and values, built once and passed to whoever reads
 * or writes it.
 */
public record Topic<K, V>(String name, Serde<K> keySerde, Serde<V> valueSerde) {
    public Topic {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
    }
}
