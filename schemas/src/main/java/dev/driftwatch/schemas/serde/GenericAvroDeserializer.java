package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/** Reads Confluent-framed Avro records as {@link GenericRecord}s, with the writer schema or a given reader schema. */
public class GenericAvroDeserializer extends AvroRecordDeserializer<GenericRecord> {
    public GenericAvroDeserializer() {
        super(Mode.GENERIC, null, null, null);
    }

    /** Resolves every record to {@code readerSchema}. */
    public GenericAvroDeserializer(Schema readerSchema, SchemaRegistryClient registry) {
        super(Mode.GENERIC, null, readerSchema, registry);
    }

    public GenericAvroDeserializer(SchemaRegistryClient registry) {
        super(Mode.GENERIC, null, null, registry);
    }
}
