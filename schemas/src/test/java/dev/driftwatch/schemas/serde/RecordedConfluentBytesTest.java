package dev.driftwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.driftwatch.schemas.Samples;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import org.apache.avro.Schema;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bytes written by Confluent's Python serializer (see src/test/resources/wire/README.md), read and re-written offline. */
class RecordedConfluentBytesTest {
    private static final int PYTHON_SCHEMA_ID = 1234;
    private byte[] recorded;
    private InMemorySchemaRegistry registry;

    @BeforeEach
    void load() throws IOException {
        recorded = HexFormat.of().parseHex(
                Files.readString(Path.of("src/test/resources/wire/confluent-python-inference-event.hex")).trim());
        registry = new InMemorySchemaRegistry();
        // The bytes were recorded with the first released schema; later versions only append fields with defaults.
        Schema pythonWriterSchema = new Schema.Parser().parse(
                Path.of("src/test/resources/compat/InferenceEvent/v1.avsc").toFile());
        registry.register("inference-events-value", pythonWriterSchema, PYTHON_SCHEMA_ID);
    }

    @Test
    void shouldReadWhatConfluentsPythonSerializerWrote() {
        assertEquals(0, recorded[0]);
        assertEquals(PYTHON_SCHEMA_ID, WireFormat.schemaId(recorded));
        SpecificAvroDeserializer<InferenceEvent> deserializer = new SpecificAvroDeserializer<>(InferenceEvent.class, registry);
        assertEquals(Samples.inferenceEvent(), deserializer.deserialize("inference-events", recorded));
    }

    @Test
    void shouldWriteTheSameBytesAsConfluentsPythonSerializer() {
        SpecificAvroSerializer<InferenceEvent> latest = new SpecificAvroSerializer<>(registry);
        latest.configure(Map.of("auto.register.schemas", false, "use.latest.version", true), false);
        assertArrayEquals(recorded, latest.serialize("inference-events", Samples.inferenceEvent()));

        SpecificAvroSerializer<InferenceEvent> own = new SpecificAvroSerializer<>(registry);
        own.configure(Map.of(), false);
        byte[] withOwnSchema = own.serialize("inference-events", Samples.inferenceEvent());
        // v2 appended three maps (texts, textTokens, embeddings), empty here: one 0 byte each after v1's body.
        byte[] v1Body = Arrays.copyOfRange(recorded, WireFormat.HEADER_SIZE, recorded.length);
        byte[] expected = Arrays.copyOf(v1Body, v1Body.length + 3);
        assertArrayEquals(expected, Arrays.copyOfRange(withOwnSchema, WireFormat.HEADER_SIZE, withOwnSchema.length),
                "the Avro body is v1's, then the appended empty maps, whatever the id");
    }
}
