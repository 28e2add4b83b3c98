package dev.driftwatch.schemas.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.schemas.Contracts;
import dev.driftwatch.schemas.RandomRecords;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.schemas.serde.GenericAvroSerializer;
import dev.driftwatch.schemas.serde.SpecificAvroDeserializer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every released version of every schema is kept under src/test/resources/compat/NAME/vN.avsc.
 * The current generated classes must read records written with each of them (BACKWARD), so
 * that a new driftwatch reads what older producers still write. When a schema changes, its
 * current file is compared with the kept versions here; when it is released, a new vN.avsc is
 * added (fully inlined, as the registry stores it).
 */
class BackwardCompatibilityTest {
    private static final Path COMPAT_DIR = Path.of("src/test/resources/compat");
    private static final int RECORDS_PER_VERSION = 200;

    static Stream<Arguments> keptVersions() throws IOException {
        List<Arguments> all = new ArrayList<>();
        for (String name : Contracts.NAMES) {
            try (Stream<Path> files = Files.list(COMPAT_DIR.resolve(name))) {
                files.filter(p -> p.toString().endsWith(".avsc")).sorted()
                        .forEach(p -> all.add(Arguments.of(name, p.getFileName().toString())));
            }
        }
        return all.stream();
    }

    @Test
    void shouldKeepAtLeastOneReleasedVersionOfEverySchema() {
        for (String name : Contracts.NAMES) {
            assertTrue(Files.exists(COMPAT_DIR.resolve(name).resolve("v1.avsc")), "missing compat/" + name + "/v1.avsc");
        }
    }

    @ParameterizedTest(name = "{0} reads {1}")
    @MethodSource("keptVersions")
    void shouldReadEveryKeptVersionWithTheCurrentSchema(String name, String version) throws IOException {
        Schema old = parse(name, version);
        Schema current = Contracts.schema(name);
        SchemaCompatibility.SchemaPairCompatibility result =
                SchemaCompatibility.checkReaderWriterCompatibility(current, old);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
                name + " can no longer read " + version + ": " + result.getResult().getIncompatibilities());
    }

    @ParameterizedTest(name = "{0} decodes records of {1}")
    @MethodSource("keptVersions")
    void shouldDecodeRecordsWrittenWithEveryKeptVersion(String name, String version) throws IOException {
        Schema old = parse(name, version);
        Class<? extends SpecificRecord> type = Contracts.type(name);
        RandomRecords random = new RandomRecords(42);
        SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(old, Contracts.schema(name),
                SpecificData.getForClass(type));
        GenericDatumWriter<Object> writer = new GenericDatumWriter<>(old);
        for (int i = 0; i < RECORDS_PER_VERSION; i++) {
            GenericRecord written = (GenericRecord) random.next(old);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(written, encoder);
            encoder.flush();
            SpecificRecord read = reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
            assertNotNull(read);
            for (Schema.Field field : old.getFields()) {
                Schema.Field now = read.getSchema().getField(field.name());
                if (now != null && isPlainString(field.schema())) {
                    assertEquals(String.valueOf(written.get(field.name())), String.valueOf(read.get(now.pos())),
                            name + "." + field.name() + " changed on the way");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} through the serde")
    @MethodSource("keptVersions")
    void shouldDeserializeOldVersionRecordsThroughTheRegistrySerde(String name, String version) throws IOException {
        Schema old = parse(name, version);
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        GenericAvroSerializer oldProducer = new GenericAvroSerializer(registry);
        oldProducer.configure(Map.of(), false);
        @SuppressWarnings({"unchecked", "rawtypes"})
        SpecificAvroDeserializer<SpecificRecord> newConsumer =
                new SpecificAvroDeserializer(Contracts.type(name), registry);
        RandomRecords random = new RandomRecords(7);
        for (int i = 0; i < 20; i++) {
            byte[] bytes = oldProducer.serialize("topic", (GenericRecord) random.next(old));
            assertEquals(Contracts.type(name), newConsumer.deserialize("topic", bytes).getClass());
        }
    }

    @Test
    void shouldDetectABreakingChangeSuchAsANewFieldWithoutDefault() {
        Schema current = Contracts.schema("OutcomeEvent");
        String broken = current.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"mandatoryNewField\",\"type\":\"string\",\"doc\":\"no default\"},");
        Schema next = new Schema.Parser().parse(broken);
        assertFalse(SchemaCompatibility.checkReaderWriterCompatibility(next, current).getType()
                == SchemaCompatibilityType.COMPATIBLE, "a required new field must be flagged as breaking");
    }

    private static Schema parse(String name, String version) throws IOException {
        return new Schema.Parser().parse(COMPAT_DIR.resolve(name).resolve(version).toFile());
    }

    private static boolean isPlainString(Schema schema) {
        return schema.getType() == Schema.Type.STRING;
    }
}
