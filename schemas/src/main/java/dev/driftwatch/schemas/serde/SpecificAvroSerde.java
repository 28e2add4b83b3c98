package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Serde of generated Avro classes in the Confluent wire format, configured with the same keys as
 * Confluent's {@code io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}. configure() and
 * close() reach both halves.
 */
public class SpecificAvroSerde<T extends SpecificRecord> extends Serdes.WrapperSerde<T> {

    /** Reads into the class named by each record's writer schema (what a no-argument serde class can do). */
    public SpecificAvroSerde() {
        super(new SpecificAvroSerializer<>(), new SpecificAvroDeserializer<>());
    }

    /** Reads every record as {@code type}, resolving older or newer writer schemas to it. */
    public SpecificAvroSerde(Class<T> type) {
        super(new SpecificAvroSerializer<>(), new SpecificAvroDeserializer<>(type));
    }

    /** On a given registry client, e.g. an {@link dev.driftwatch.schemas.registry.InMemorySchemaRegistry}. */
    public SpecificAvroSerde(Class<T> type, SchemaRegistryClient registry) {
        super(new SpecificAvroSerializer<>(registry), new SpecificAvroDeserializer<>(type, registry));
    }
}
