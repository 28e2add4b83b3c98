package dev.driftwatch.schemas.serde;

import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.schemas.registry.RegisteredSchema;
import dev.driftwatch.schemas.registry.SchemaRegistryClient;
import dev.driftwatch.schemas.registry.SchemaRegistryClients;
import dev.driftwatch.schemas.registry.SchemaRegistryException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes Avro records in the Confluent wire format, registering or looking up their schema in
 * the registry named by {@code schema.registry.url} under the subject chosen by the subject name
 * strategy. The ids are cached: the registry is called once per schema and subject.
 *
 * <p>Null stays null (a tombstone). A registry failure raises a {@link SerializationException}.
 */
public class AvroRecordSerializer<T extends GenericContainer> implements Serializer<T> {

    private SchemaRegistryClient registry;
    private boolean ownsRegistry;
    private boolean isKey;
    private boolean autoRegister = AvroSerdeConfig.DEFAULT_AUTO_REGISTER_SCHEMAS;
    private boolean useLatestVersion;
    private SubjectNameStrategy subjectNames = SubjectNameStrategy.TOPIC_NAME;
    private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();
    private final Map<String, RegisteredSchema> latestBySubject = new ConcurrentHashMap<>();

    /** A serializer to be configured by {@link #configure(Map, boolean)}, as Kafka does. */
    public AvroRecordSerializer() {
    }

    /** A serializer on a given registry; {@link #configure} still reads the other settings. */
    public AvroRecordSerializer(SchemaRegistryClient registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        this.isKey = isKey;
        Map<String, Object> withUrl = new java.util.HashMap<>(configs);
        if (registry != null) {
            withUrl.putIfAbsent(AvroSerdeConfig.SCHEMA_REGISTRY_URL_CONFIG, "mock://unused");
        }
        AvroSerdeConfig config = new AvroSerdeConfig(withUrl);
        if (registry == null) {
            registry = SchemaRegistryClients.create(config);
            ownsRegistry = true;
        }
        autoRegister = config.autoRegisterSchemas();
        useLatestVersion = config.useLatestVersion();
        subjectNames = config.subjectNameStrategy(isKey);
    }

    @Override
    public byte[] serialize(String topic, T record) {
        if (record == null) {
            return null;
        }
        if (registry == null) {
            throw new IllegalStateException("serializer not configured: call configure() with schema.registry.url");
        }
        Schema schema = record.getSchema();
        String subject = subjectNames.subject(topic, isKey, schema);
        Schema writerSchema = schema;
        int id;
        try {
            if (useLatestVersion && !autoRegister) {
                RegisteredSchema latest = latestBySubject.computeIfAbsent(subject, registry::latest);
                writerSchema = latest.schema();
                id = latest.id();
            } else {
                id = idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>())
                        .computeIfAbsent(schema, s -> autoRegister ? registry.register(subject, s) : registry.lookup(subject, s).id());
            }
        } catch (SchemaRegistryException e) {
            throw new SerializationException("cannot get a schema id for subject '" + subject + "' (record "
                    + schema.getFullName() + ", topic " + topic + "): " + e.getMessage(), e);
        }
        try {
            Output out = new Output(128);
            out.write(WireFormat.MAGIC_BYTE);
            out.write(java.nio.ByteBuffer.allocate(4).putInt(id).array());
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            if (WindowStatsWriter.writes(record, writerSchema)) {
                WindowStatsWriter.write((WindowStats) record, encoder);
            } else {
                writer(record, writerSchema).write(record, encoder);
            }
            encoder.flush();
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("cannot write a " + schema.getFullName() + " to topic " + topic
                    + " with schema id " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * A growing array the encoder writes into, without the lock {@link ByteArrayOutputStream} takes for every write
     * (the direct encoder writes each field on its own, some forty writes a window's statistics). The same bytes.
     */
    static final class Output extends OutputStream {
        private byte[] bytes;
        private int size;

        Output(int capacity) {
            bytes = new byte[capacity];
        }

        /** Room for {@code more} bytes: at least twice the array, below 2^31. */
        private void ensure(int more) {
            if (more > bytes.length - size) {
                bytes = Arrays.copyOf(bytes, Math.max(size + more, (int) Math.min(Integer.MAX_VALUE - 8, 2L * bytes.length)));
            }
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            ensure(len);
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(bytes, size);
        }
    }

    private static DatumWriter<Object> writer(GenericContainer record, Schema writerSchema) {
        if (record instanceof SpecificRecord) {
            return new SpecificDatumWriter<>(writerSchema,
                    org.apache.avro.specific.SpecificData.getForClass(record.getClass()));
        }
        return new GenericDatumWriter<>(writerSchema, GenericData.get());
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
