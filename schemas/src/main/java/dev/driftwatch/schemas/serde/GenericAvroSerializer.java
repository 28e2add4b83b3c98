package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;

/** Writes {@link GenericRecord}s in the Confluent wire format. */
public class GenericAvroSerializer extends AvroRecordSerializer<GenericRecord> {
    public GenericAvroSerializer() {
    }

    public GenericAvroSerializer(SchemaRegistryClient registry) {
        super(registry);
    }
}
