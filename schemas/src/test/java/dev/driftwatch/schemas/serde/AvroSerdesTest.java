package dev.driftwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.schemas.Samples;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdesTest {

    /** A stand-in for a third-party serde class, such as Confluent's, loaded by name. */
    public static class PluggedSerde extends Serdes.WrapperSerde<Object> {
        static volatile Map<String, ?> configured;

        public PluggedSerde() {
            super((topic, data) -> new byte[] {42}, (topic, data) -> "plugged");
        }

        @Override
        public void configure(Map<String, ?> configs, boolean isKey) {
            configured = configs;
        }
    }

    @AfterEach
    void drop() {
        InMemorySchemaRegistry.dropScope("serdes");
    }

    @Test
    void shouldBuildDriftwatchsSerdeByDefault() {
        Serde<InferenceEvent> serde = AvroSerdes.specific(InferenceEvent.class,
                Map.of("schema.registry.url", "mock://serdes"), false);
        assertInstanceOf(SpecificAvroSerde.class, serde);
        byte[] bytes = serde.serializer().serialize("t", Samples.inferenceEvent());
        assertEquals(Samples.inferenceEvent(), serde.deserializer().deserialize("t", bytes));
    }

    @Test
    void shouldLoadAndConfigureAnotherSerdeClassByName() {
        Map<String, Object> config = Map.of("schema.registry.url", "mock://serdes",
                AvroSerdes.AVRO_SERDE_CLASS_CONFIG, PluggedSerde.class.getName());
        Serde<InferenceEvent> serde = AvroSerdes.specific(InferenceEvent.class, config, false);
        assertInstanceOf(PluggedSerde.class, serde);
        assertEquals(config, PluggedSerde.configured);
    }

    @Test
    void shouldSayWhatIsWrongWithABadSerdeClass() {
        ConfigException missing = assertThrows(ConfigException.class, () -> AvroSerdes.specific(InferenceEvent.class,
                Map.of(AvroSerdes.AVRO_SERDE_CLASS_CONFIG, "io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde"), false));
        assertTrue(missing.getMessage().contains("class not found"), missing.getMessage());
        assertThrows(ConfigException.class, () -> AvroSerdes.specific(InferenceEvent.class,
                Map.of(AvroSerdes.AVRO_SERDE_CLASS_CONFIG, String.class.getName()), false));
    }
}
