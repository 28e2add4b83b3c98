package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import org.apache.avro.specific.SpecificRecord;

/** Writes generated Avro classes in the Confluent wire format. */
public class SpecificAvroSerializer<T extends SpecificRecord> extends AvroRecordSerializer<T> {
    public SpecificAvroSerializer() {
    }

    public SpecificAvroSerializer(SchemaRegistryClient registry) {
        super(registry);
    }
}
