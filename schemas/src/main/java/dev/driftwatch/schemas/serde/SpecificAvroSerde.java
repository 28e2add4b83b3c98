package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Serde of generated Avro classes in the Confluent wire format, configured with the same keys as
 * Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}.
 */
public class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {
    private final SpecificAvroSerializer<T> serializer;
    private final SpecificAvroDeserializer<T> deserializer;

    /** Reads into the class named by each record's writer schema (what a no-argument serde class can do). */
    public SpecificAvroSerde() {
        this.serializer = new SpecificAvroSerializer<>();
        this.deserializer = new SpecificAvroDeserializer<>();
    }

    /** Reads every record as {@code type}, resolving older or newer writer schemas to it. */
    public SpecificAvroSerde(Class<T> type) {
        this.serializer = new SpecificAvroSerializer<>();
        this.deserializer = new SpecificAvroDeserializer<>(type);
    }

    /** On a given registry client, e.g. an {@link dev.driftwatch.schemas.registry.InMemorySchemaRegistry}. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient registry) {
        this.serializer = new SpecificAvroSerializer<>(registry);
        this.deserializer = new SpecificAvroDeserializer<>(type, registry);
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        serializer.configure(configs, isKey);
        deserializer.configure(configs, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return deserializer;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
