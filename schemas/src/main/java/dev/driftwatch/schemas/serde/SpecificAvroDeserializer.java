package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;

/**
 * Reads Confluent-framed Avro records into generated classes. With a type, records written with
 * any compatible (older or newer) schema are resolved to that class's schema; without one, the
 * generated class named like the writer schema is used, as Confluent's deserializer does with
 * {@code specific.avro.reader=true}.
 */
public class SpecificAvroDeserializer<T extends SpecificRecord> extends AvroRecordDeserializer<T> {
    /** Reads into the class named by each record's writer schema. */
    public SpecificAvroDeserializer() {
        super(Mode.SPECIFIC, null, null, null);
    }

    /** Reads every record as {@code type}. */
    public SpecificAvroDeserializer(Class<T> type) {
        super(Mode.SPECIFIC, type, null, null);
    }

    public SpecificAvroDeserializer(Class<T> type, SchemaRegistryClient registry) {
        super(Mode.SPECIFIC, type, null, registry);
    }
}
