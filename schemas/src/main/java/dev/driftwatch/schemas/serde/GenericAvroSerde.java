package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.serialization.Serdes;

/** Serde of {@link GenericRecord}s in the Confluent wire format. */
public class GenericAvroSerde extends Serdes.WrapperSerde<GenericRecord> {
    public GenericAvroSerde() {
        super(new GenericAvroSerializer(), new GenericAvroDeserializer());
    }

    public GenericAvroSerde(SchemaRegistryClient registry) {
        super(new GenericAvroSerializer(registry), new GenericAvroDeserializer(registry));
    }
}
