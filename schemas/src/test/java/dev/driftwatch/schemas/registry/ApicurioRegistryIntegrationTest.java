package dev.driftwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.schemas.Contracts;
import dev.driftwatch.schemas.RandomRecords;
import dev.driftwatch.schemas.Samples;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.serde.BadRecordException;
import dev.driftwatch.schemas.serde.GenericAvroSerializer;
import dev.driftwatch.schemas.serde.SpecificAvroDeserializer;
import dev.driftwatch.schemas.serde.SpecificAvroSerde;
import dev.driftwatch.schemas.serde.WireFormat;
import dev.driftwatch.schemas.testkit.ApicurioRegistryServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Our REST client and serdes against a real registry: Apicurio Registry 3 serving the Confluent API. */
@Timeout(300)
class ApicurioRegistryIntegrationTest {
    private static ApicurioRegistryServer server;

    @BeforeAll
    static void startRegistry() throws Exception {
        assertTrue(ApicurioRegistryServer.isInstalled(), "Apicurio Registry is not unpacked under "
                + ApicurioRegistryServer.HOME_PROPERTY + "=" + ApicurioRegistryServer.home()
                + "; the build's pre-integration-test phase unpacks it from Maven Central");
        server = ApicurioRegistryServer.start();
    }

    @AfterAll
    static void stopRegistry() {
        if (server != null) {
            server.close();
        }
    }

    private static RestSchemaRegistryClient freshClient() {
        return new RestSchemaRegistryClient(RestSchemaRegistryClient.Settings.of(server.confluentApiUrl()));
    }

    private static Map<String, Object> serdeConfig() {
        return Map.of("schema.registry.url", server.confluentApiUrl());
    }

    @Test
    void shouldRegisterLookUpAndFetchByIdOverTheConfluentApi() {
        String subject = "it-register-value";
        int id = freshClient().register(subject, InferenceEvent.getClassSchema());

        RestSchemaRegistryClient other = freshClient();
        assertEquals(InferenceEvent.getClassSchema(), other.schemaById(id));
        assertEquals(List.of(1), other.versions(subject));
        RegisteredSchema latest = other.latest(subject);
        assertEquals(id, latest.id());
        assertEquals(1, latest.version());
        assertEquals(id, other.lookup(subject, InferenceEvent.getClassSchema()).id());
        assertEquals(id, other.register(subject, InferenceEvent.getClassSchema()), "registering again is a no-op");
        assertTrue(other.subjects().contains(subject));
    }

    @Test
    void shouldCheckCompatibilityAndRefuseABreakingChange() {
        String subject = "it-compat-value";
        RestSchemaRegistryClient client = freshClient();
        Schema v1 = Contracts.schema("OutcomeEvent");
        client.register(subject, v1);
        client.setCompatibility(subject, CompatibilityLevel.BACKWARD);

        Schema compatible = new Schema.Parser().parse(v1.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"channel\",\"type\":[\"null\",\"string\"],\"default\":null,\"doc\":\"new\"},"));
        Schema breaking = new Schema.Parser().parse(v1.toString().replace("\"fields\":[",
                "\"fields\":[{\"name\":\"channel\",\"type\":\"string\",\"doc\":\"new, no default\"},"));
        assertTrue(client.isCompatible(subject, compatible));
        assertFalse(client.isCompatible(subject, breaking));
        SchemaRegistryException refused = assertThrows(SchemaRegistryException.class, () -> client.register(subject, breaking));
        assertTrue(refused.isIncompatible(), refused.getMessage());
        client.register(subject, compatible);
        assertEquals(List.of(1, 2), client.versions(subject));
    }

    @Test
    void shouldSayNotFoundForUnknownSubjectsAndIds() {
        RestSchemaRegistryClient client = freshClient();
        assertTrue(assertThrows(SchemaRegistryException.class, () -> client.versions("it-no-such-subject")).isNotFound());
        assertTrue(assertThrows(SchemaRegistryException.class, () -> client.schemaById(987_654)).isNotFound());
    }

    @Test
    void shouldRoundTripThroughTheSerdeWithARealRegistry() {
        SpecificAvroSerde<InferenceEvent> writer = new SpecificAvroSerde<>(InferenceEvent.class);
        writer.configure(serdeConfig(), false);
        byte[] bytes = writer.serializer().serialize("it-serde", Samples.inferenceEvent());

        SpecificAvroDeserializer<InferenceEvent> reader = new SpecificAvroDeserializer<>(InferenceEvent.class);
        reader.configure(serdeConfig(), false);
        assertEquals(Samples.inferenceEvent(), reader.deserialize("it-serde", bytes));
        assertEquals(freshClient().latest("it-serde-value").id(), WireFormat.schemaId(bytes));
    }

    @Test
    void shouldReadRecordsOfEveryKeptOldVersionThroughTheRealRegistry() throws Exception {
        for (String name : Contracts.NAMES) {
            Schema old = new Schema.Parser().parse(Path.of("src/test/resources/compat", name, "v1.avsc").toFile());
            GenericAvroSerializer oldProducer = new GenericAvroSerializer();
            oldProducer.configure(serdeConfig(), false);
            @SuppressWarnings({"unchecked", "rawtypes"})
            SpecificAvroDeserializer<SpecificRecord> reader = new SpecificAvroDeserializer(Contracts.type(name));
            reader.configure(serdeConfig(), false);
            byte[] bytes = oldProducer.serialize("it-old-" + name, (GenericRecord) new RandomRecords(3).next(old));
            assertEquals(Contracts.type(name), reader.deserialize("it-old-" + name, bytes).getClass());
        }
    }

    @Test
    void shouldTurnAnIdUnknownToTheRealRegistryIntoABadRecord() {
        SpecificAvroDeserializer<InferenceEvent> reader = new SpecificAvroDeserializer<>(InferenceEvent.class);
        reader.configure(serdeConfig(), false);
        BadRecordException e = assertThrows(BadRecordException.class,
                () -> reader.deserialize("t", WireFormat.frame(876_543, new byte[] {2, 'x'})));
        assertEquals(BadRecordException.Reason.UNKNOWN_SCHEMA_ID, e.reason());
    }
}
