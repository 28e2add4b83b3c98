package dev.driftwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.schemas.Contracts;
import dev.driftwatch.schemas.RandomRecords;
import dev.driftwatch.schemas.Samples;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.OutcomeEvent;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SpecificAvroSerdeTest {
    private static final String SCOPE = "serde-test";
    private static final Map<String, Object> CONFIG = Map.of("schema.registry.url", "mock://" + SCOPE);

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    private static <T extends SpecificRecord> Serde<T> serde(Class<T> type) {
        SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type);
        serde.configure(CONFIG, false);
        return serde;
    }

    @Test
    void shouldRoundTripAnInferenceEventInTheConfluentWireFormat() {
        Serde<InferenceEvent> serde = serde(InferenceEvent.class);
        InferenceEvent event = Samples.inferenceEvent();
        byte[] bytes = serde.serializer().serialize("inference-events", event);

        assertEquals(0, bytes[0], "magic byte");
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        assertEquals(InferenceEvent.getClassSchema(),
                InMemorySchemaRegistry.forScope(SCOPE).latest("inference-events-value").schema());
        assertEquals(id, InMemorySchemaRegistry.forScope(SCOPE).latest("inference-events-value").id());
        assertEquals(event, serde.deserializer().deserialize("inference-events", bytes));
    }

    @ParameterizedTest
    @MethodSource("dev.driftwatch.schemas.SchemaContractsTest#names")
    void shouldWriteTheSameBytesForGenericAndSpecificRecordsOfEveryContract(String name) {
        @SuppressWarnings("unchecked")
        Class<SpecificRecord> type = (Class<SpecificRecord>) Contracts.type(name);
        Serde<SpecificRecord> specific = serde(type);
        GenericAvroSerializer generic = new GenericAvroSerializer();
        generic.configure(CONFIG, false);
        RandomRecords random = new RandomRecords(11);
        for (int i = 0; i < 50; i++) {
            byte[] fromGeneric = generic.serialize("t", (GenericRecord) random.next(Contracts.schema(name)));
            SpecificRecord record = specific.deserializer().deserialize("t", fromGeneric);
            assertEquals(type, record.getClass());
            byte[] fromSpecific = specific.serializer().serialize("t", record);
            assertArrayEquals(fromGeneric, fromSpecific);
            assertEquals(record, specific.deserializer().deserialize("t", fromSpecific));
        }
    }

    @Test
    void shouldMapNullToNullForTombstones() {
        Serde<InferenceEvent> serde = serde(InferenceEvent.class);
        assertNull(serde.serializer().serialize("t", null));
        assertNull(serde.deserializer().deserialize("t", null));
    }

    @Test
    void shouldShareOneMockRegistryPerScopeBetweenSeparatelyConfiguredSerdes() {
        byte[] bytes = serde(InferenceEvent.class).serializer().serialize("t", Samples.inferenceEvent());
        SpecificAvroDeserializer<InferenceEvent> other = new SpecificAvroDeserializer<>();
        other.configure(CONFIG, false);
        assertEquals(Samples.inferenceEvent(), other.deserialize("t", bytes));
    }

    @Test
    void shouldUseTheKeySubjectForKeysAndTheConfiguredStrategy() {
        SpecificAvroSerializer<InferenceEvent> keys = new SpecificAvroSerializer<>();
        keys.configure(CONFIG, true);
        keys.serialize("t", Samples.inferenceEvent());
        SpecificAvroSerializer<InferenceEvent> byRecord = new SpecificAvroSerializer<>();
        byRecord.configure(Map.of("schema.registry.url", "mock://" + SCOPE,
                "value.subject.name.strategy", "io.confluent.kafka.serializers.subject.RecordNameStrategy"), false);
        byRecord.serialize("t", Samples.inferenceEvent());
        assertTrue(InMemorySchemaRegistry.forScope(SCOPE).subjects()
                .containsAll(java.util.List.of("t-key", "dev.driftwatch.schemas.avro.InferenceEvent")));
    }

    @Test
    void shouldFailWithoutAutoRegisterWhenTheSchemaIsNotRegistered() {
        SpecificAvroSerializer<InferenceEvent> serializer = new SpecificAvroSerializer<>();
        serializer.configure(Map.of("schema.registry.url", "mock://" + SCOPE, "auto.register.schemas", false), false);
        SerializationException e = assertThrows(SerializationException.class,
                () -> serializer.serialize("t", Samples.inferenceEvent()));
        assertTrue(e.getMessage().contains("t-value"), e.getMessage());

        InMemorySchemaRegistry.forScope(SCOPE).register("t-value", InferenceEvent.getClassSchema());
        assertEquals(0, serializer.serialize("t", Samples.inferenceEvent())[0]);
    }

    @Test
    void shouldRejectAWrongMagicByte() {
        byte[] bytes = serde(InferenceEvent.class).serializer().serialize("t", Samples.inferenceEvent());
        bytes[0] = 1;
        assertReason(BadRecordException.Reason.WRONG_MAGIC_BYTE, bytes);
        assertReason(BadRecordException.Reason.WRONG_MAGIC_BYTE, "{\"json\":true}".getBytes());
    }

    @Test
    void shouldRejectAnUnknownSchemaId() {
        serde(InferenceEvent.class);
        BadRecordException e = assertReason(BadRecordException.Reason.UNKNOWN_SCHEMA_ID, WireFormat.frame(4242, new byte[] {2, 'a'}));
        assertEquals(4242, e.schemaId());
    }

    @Test
    void shouldRejectTruncatedHeadersAndBodies() {
        byte[] bytes = serde(InferenceEvent.class).serializer().serialize("t", Samples.inferenceEvent());
        assertReason(BadRecordException.Reason.TRUNCATED, new byte[0]);
        assertReason(BadRecordException.Reason.TRUNCATED, new byte[] {0, 0, 0});
        for (int cut : new int[] {5, 6, bytes.length / 2, bytes.length - 1}) {
            assertReason(BadRecordException.Reason.TRUNCATED, Arrays.copyOf(bytes, cut));
        }
    }

    @Test
    void shouldRejectAWriterSchemaThatDoesNotResolveToTheReader() {
        byte[] outcome = serde(OutcomeEvent.class).serializer().serialize("t", OutcomeEvent.newBuilder()
                .setRequestId("r").setType(dev.driftwatch.schemas.avro.OutcomeType.CLICK)
                .setEventTime(java.time.Instant.EPOCH).build());
        BadRecordException e = assertReason(BadRecordException.Reason.SCHEMA_MISMATCH, outcome);
        assertTrue(e.getMessage().contains("OutcomeEvent"), e.getMessage());
    }

    @Test
    void shouldRejectAWriterSchemaWithoutGeneratedClassWhenReadingByWriterName() {
        Schema foreign = SchemaBuilder.record("Foreign").namespace("elsewhere").fields().requiredString("x").endRecord();
        GenericRecord record = new GenericData.Record(foreign);
        record.put("x", "y");
        GenericAvroSerializer serializer = new GenericAvroSerializer();
        serializer.configure(CONFIG, false);
        byte[] bytes = serializer.serialize("t", record);
        SpecificAvroDeserializer<SpecificRecord> byName = new SpecificAvroDeserializer<>();
        byName.configure(CONFIG, false);
        BadRecordException e = assertThrows(BadRecordException.class, () -> byName.deserialize("t", bytes));
        assertEquals(BadRecordException.Reason.SCHEMA_MISMATCH, e.reason());
    }

    @Test
    void shouldRejectTrailingBytesAndBadUnionIndexesAsMalformed() {
        byte[] bytes = serde(InferenceEvent.class).serializer().serialize("t", Samples.inferenceEvent());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 3);
        assertReason(BadRecordException.Reason.MALFORMED_BODY, longer);

        Schema union = SchemaBuilder.record("U").namespace("t").fields().optionalString("s").endRecord();
        int id = InMemorySchemaRegistry.forScope(SCOPE).register("u-value", union);
        GenericAvroDeserializer generic = new GenericAvroDeserializer();
        generic.configure(CONFIG, false);
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> generic.deserialize("u", WireFormat.frame(id, new byte[] {(byte) 0x0e})));
        assertEquals(BadRecordException.Reason.MALFORMED_BODY, e.reason());
    }

    @Test
    void shouldNameTheReasonAsADeadLetterReason() {
        for (BadRecordException.Reason reason : BadRecordException.Reason.values()) {
            assertEquals(reason.name(), reason.deadLetterReason().name());
        }
    }

    @Test
    void shouldRaiseAPlainSerializationExceptionNotABadRecordWhenTheRegistryIsDown() {
        SpecificAvroDeserializer<InferenceEvent> deserializer = new SpecificAvroDeserializer<>(InferenceEvent.class);
        deserializer.configure(Map.of("schema.registry.url", "http://127.0.0.1:1",
                "schema.registry.max.retries", 1, "schema.registry.retry.backoff.ms", 1,
                "schema.registry.connect.timeout.ms", 500), false);
        SerializationException e = assertThrows(SerializationException.class,
                () -> deserializer.deserialize("t", WireFormat.frame(1, new byte[] {2})));
        assertTrue(!(e instanceof BadRecordException), "an unreachable registry is not a bad record: " + e);
    }

    private static BadRecordException assertReason(BadRecordException.Reason reason, byte[] bytes) {
        SpecificAvroDeserializer<InferenceEvent> deserializer = new SpecificAvroDeserializer<>(InferenceEvent.class);
        deserializer.configure(CONFIG, false);
        BadRecordException e = assertThrows(BadRecordException.class, () -> deserializer.deserialize("t", bytes));
        assertEquals(reason, e.reason(), e.getMessage());
        assertInstanceOf(SerializationException.class, e);
        return e;
    }
}
