package dev.driftwatch.schemas.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {
    private static final Schema V1 = SchemaBuilder.record("R").namespace("t").fields().requiredString("a").endRecord();
    private static final Schema V2 = SchemaBuilder.record("R").namespace("t").fields().requiredString("a")
            .optionalInt("b").endRecord();
    private static final Schema BREAKING = SchemaBuilder.record("R").namespace("t").fields().requiredString("a")
            .requiredInt("c").endRecord();

    @Test
    void shouldGiveOneGlobalIdPerSchemaAndVersionsPerSubject() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        int id1 = registry.register("x-value", V1);
        int again = registry.register("x-value", V1);
        int shared = registry.register("y-value", V1);
        int id2 = registry.register("x-value", V2);

        assertEquals(id1, again);
        assertEquals(id1, shared);
        assertNotEquals(id1, id2);
        assertEquals(List.of(1, 2), registry.versions("x-value"));
        assertEquals(new RegisteredSchema("x-value", 2, id2, V2), registry.latest("x-value"));
        assertEquals(new RegisteredSchema("x-value", 1, id1, V1), registry.lookup("x-value", V1));
        assertEquals(V2, registry.schemaById(id2));
        assertEquals(List.of("x-value", "y-value"), registry.subjects());
    }

    @Test
    void shouldRejectABackwardIncompatibleSchemaUnlessTheLevelIsNone() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        registry.register("x-value", V1);
        assertFalse(registry.isCompatible("x-value", BREAKING));
        SchemaRegistryException e = assertThrows(SchemaRegistryException.class, () -> registry.register("x-value", BREAKING));
        assertTrue(e.isIncompatible());

        registry.setCompatibility("x-value", CompatibilityLevel.NONE);
        assertTrue(registry.isCompatible("x-value", BREAKING));
        registry.register("x-value", BREAKING);
    }

    @Test
    void shouldAnswerNotFoundLikeTheRestApi() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        assertTrue(assertThrows(SchemaRegistryException.class, () -> registry.schemaById(5)).isNotFound());
        assertTrue(assertThrows(SchemaRegistryException.class, () -> registry.latest("none")).isNotFound());
        registry.register("x-value", V1);
        assertTrue(assertThrows(SchemaRegistryException.class, () -> registry.version("x-value", 2)).isNotFound());
        assertTrue(assertThrows(SchemaRegistryException.class, () -> registry.lookup("x-value", V2)).isNotFound());
    }

    @Test
    void shouldRegisterWithAChosenIdForImportedRecords() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
        assertEquals(100, registry.register("x-value", V1, 100));
        assertEquals(V1, registry.schemaById(100));
        assertEquals(101, registry.register("x-value", V2));
        assertThrows(SchemaRegistryException.class, () -> registry.register("y-value", V2, 100));
    }

    @Test
    void shouldShareOneInstancePerMockScope() {
        SchemaRegistryClient a = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://scope-a"));
        SchemaRegistryClient b = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://scope-a/"));
        SchemaRegistryClient c = SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://scope-c"));
        assertSame(a, b);
        assertNotEquals(a, c);
        InMemorySchemaRegistry.dropScope("scope-a");
        InMemorySchemaRegistry.dropScope("scope-c");
        assertNotEquals(a, SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://scope-a")));
        InMemorySchemaRegistry.dropScope("scope-a");
    }

    @Test
    void shouldRejectBadUrls() {
        assertThrows(ConfigException.class,
                () -> SchemaRegistryClients.create(Map.of("schema.registry.url", "mock://a,http://b:1")));
        assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of("schema.registry.url", "ftp://x")));
        assertThrows(ConfigException.class, () -> SchemaRegistryClients.create(Map.of()));
        assertThrows(IllegalArgumentException.class, () -> InMemorySchemaRegistry.scopeOf("mock://"));
    }
}
