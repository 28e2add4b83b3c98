package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import dev.driftwatch.schemas.registry.SchemaRegistryClients;
import dev.driftwatch.schemas.registry.SchemaRegistryException;
import java.io.EOFException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroTypeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent-framed Avro records: takes the schema id from the header, fetches the writer
 * schema from the registry (cached) and resolves it to the reader schema, so that records
 * written with an older schema version read as the current one.
 *
 * <p>Which reader schema: in {@link Mode#SPECIFIC} the generated class given to the constructor,
 * or else the generated class named like the writer schema; in {@link Mode#GENERIC} the writer
 * schema itself (or a reader schema given to the constructor).
 *
 * <p>Bytes that cannot be read raise a {@link BadRecordException} with the reason; a registry that
 * cannot be reached raises a plain {@link SerializationException}. Null stays null.
 */
public class AvroRecordDeserializer<T> implements Deserializer<T> {

    /** Whether records are read as generated classes or as {@link org.apache.avro.generic.GenericRecord}s. */
    public enum Mode { SPECIFIC, GENERIC }

    private final Mode mode;
    private final Schema fixedReaderSchema;
    private final Class<?> specificType;
    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private final Map<Integer, DatumReader<Object>> readersById = new ConcurrentHashMap<>();

    /**
     * @param mode SPECIFIC or GENERIC
     * @param specificType generated class to read into (SPECIFIC), or null to pick it by the writer's name
     * @param readerSchema reader schema (GENERIC), or null to read with the writer schema
     * @param registry registry client, or null to build one from {@code schema.registry.url} in configure
     */
    protected AvroRecordDeserializer(Mode mode, Class<?> specificType, Schema readerSchema, SchemaRegistryClient registry) {
        this.mode = mode;
        this.specificType = specificType;
        this.fixedReaderSchema = specificType != null ? SpecificData.get().getSchema(specificType) : readerSchema;
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        if (registry == null) {
            registry = SchemaRegistryClients.create(new AvroSerdeConfig(new HashMap<>(configs)));
            ownsRegistry = true;
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("deserializer not configured: call configure() with schema.registry.url");
        }
        int id = WireFormat.schemaId(data);
        DatumReader<Object> reader = readersById.computeIfAbsent(id, this::readerFor);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(data, WireFormat.HEADER_SIZE,
                data.length - WireFormat.HEADER_SIZE, null);
        Object record;
        try {
            record = reader.read(null, decoder);
        } catch (EOFException e) {
            throw new BadRecordException(BadRecordException.Reason.TRUNCATED, id,
                    "Avro body of " + (data.length - WireFormat.HEADER_SIZE) + " bytes ends before the record of schema id "
                    + id + " is complete", e);
        } catch (AvroTypeException e) {
            throw new BadRecordException(BadRecordException.Reason.SCHEMA_MISMATCH, id,
                    "writer schema id " + id + " does not resolve to the reader schema: " + e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            throw new BadRecordException(BadRecordException.Reason.MALFORMED_BODY, id,
                    "Avro body does not decode with schema id " + id + ": " + e, e);
        }
        try {
            if (!decoder.isEnd()) {
                throw new BadRecordException(BadRecordException.Reason.MALFORMED_BODY, id,
                        "Avro body has bytes left after the record of schema id " + id
                        + "; the writer used another schema than the one its header names");
            }
        } catch (IOException e) {
            throw new BadRecordException(BadRecordException.Reason.MALFORMED_BODY, id, e.toString(), e);
        }
        return (T) record;
    }

    private DatumReader<Object> readerFor(int id) {
        Schema writer;
        try {
            writer = registry.schemaById(id);
        } catch (SchemaRegistryException e) {
            if (e.isNotFound()) {
                throw new BadRecordException(BadRecordException.Reason.UNKNOWN_SCHEMA_ID, id,
                        "the schema registry has no schema with id " + id + ": " + e.getMessage(), e);
            }
            throw new SerializationException("cannot fetch schema id " + id + " from the schema registry: "
                    + e.getMessage(), e);
        }
        if (mode == Mode.GENERIC) {
            Schema reader = fixedReaderSchema != null ? fixedReaderSchema : writer;
            checkResolvable(id, writer, reader);
            return new GenericDatumReader<>(writer, reader, GenericData.get());
        }
        Class<?> type = specificType != null ? specificType : SpecificData.get().getClass(writer);
        if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
            throw new BadRecordException(BadRecordException.Reason.SCHEMA_MISMATCH, id,
                    "schema id " + id + " is a " + writer.getFullName() + ", for which no generated class is on the class path");
        }
        Schema reader = SpecificData.get().getSchema(type);
        checkResolvable(id, writer, reader);
        return new SpecificDatumReader<>(writer, reader, SpecificData.getForClass(type));
    }

    private static void checkResolvable(int id, Schema writer, Schema reader) {
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            throw new BadRecordException(BadRecordException.Reason.SCHEMA_MISMATCH, id,
                    "writer schema id " + id + " (" + writer.getFullName() + ") cannot be read as " + reader.getFullName()
                    + ": " + result.getResult().getIncompatibilities());
        }
    }

    /** The registry client in use (for tests and tools). */
    public SchemaRegistryClient registry() {
        return registry;
    }

    @Override
    public void close() {
        if (ownsRegistry && registry != null) {
            registry.close();
        }
    }

}
