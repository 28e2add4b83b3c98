package dev.driftwatch.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaContractsTest {
    private static final Path AVRO_DIR = Path.of("src/main/avro");

    static Stream<String> names() {
        return Contracts.NAMES.stream();
    }

    @Test
    void shouldHaveOneSchemaFilePerTopicValueAndNoOther() throws IOException {
        Set<String> files = new HashSet<>();
        try (Stream<Path> paths = Files.list(AVRO_DIR)) {
            paths.forEach(p -> files.add(p.getFileName().toString().replace(".avsc", "")));
        }
        assertEquals(new HashSet<>(Contracts.NAMES), files);
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldGenerateTheClassFromTheSchemaFileInTheDriftwatchNamespace(String name) throws IOException {
        Schema parsed = new Schema.Parser().parse(AVRO_DIR.resolve(name + ".avsc").toFile());
        assertEquals(Contracts.NAMESPACE, parsed.getNamespace());
        assertEquals(name, parsed.getName());
        // stringType=String adds avro.java.string properties; the fields and types are the same
        assertEquals(org.apache.avro.SchemaNormalization.toParsingForm(parsed),
                org.apache.avro.SchemaNormalization.toParsingForm(Contracts.schema(name)));
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldDocumentEveryTypeAndField(String name) {
        List<String> undocumented = new ArrayList<>();
        collectUndocumented(Contracts.schema(name), new HashSet<>(), undocumented);
        assertTrue(undocumented.isEmpty(), name + " has no doc on: " + undocumented);
    }

    @ParameterizedTest
    @MethodSource("names")
    void shouldGiveEveryOptionalFieldADefaultSoThatFieldsCanBeAddedAndRemoved(String name) {
        List<String> missing = new ArrayList<>();
        collectNullableWithoutDefault(Contracts.schema(name), new HashSet<>(), missing);
        assertTrue(missing.isEmpty(), name + " has nullable fields without a null default: " + missing);
    }

    private static void collectUndocumented(Schema schema, Set<String> seen, List<String> out) {
        switch (schema.getType()) {
            case RECORD:
                if (!seen.add(schema.getFullName())) {
                    return;
                }
                if (isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (isBlank(field.doc())) {
                        out.add(schema.getName() + "." + field.name());
                    }
                    collectUndocumented(field.schema(), seen, out);
                }
                break;
            case ENUM:
                if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
                    out.add(schema.getFullName());
                }
                break;
            case ARRAY:
                collectUndocumented(schema.getElementType(), seen, out);
                break;
            case MAP:
                collectUndocumented(schema.getValueType(), seen, out);
                break;
            case UNION:
                schema.getTypes().forEach(t -> collectUndocumented(t, seen, out));
                break;
            default:
                break;
        }
    }

    private static void collectNullableWithoutDefault(Schema schema, Set<String> seen, List<String> out) {
        if (schema.getType() == Schema.Type.UNION) {
            schema.getTypes().forEach(t -> collectNullableWithoutDefault(t, seen, out));
            return;
        }
        if (schema.getType() != Schema.Type.RECORD || !seen.add(schema.getFullName())) {
            return;
        }
        for (Schema.Field field : schema.getFields()) {
            Schema type = field.schema();
            if (type.isNullable() && type.getType() == Schema.Type.UNION
                    && (!field.hasDefaultValue() || type.getTypes().get(0).getType() != Schema.Type.NULL)) {
                out.add(schema.getName() + "." + field.name());
            }
            collectNullableWithoutDefault(type, seen, out);
            if (type.getType() == Schema.Type.ARRAY) {
                collectNullableWithoutDefault(type.getElementType(), seen, out);
            }
            if (type.getType() == Schema.Type.MAP) {
                collectNullableWithoutDefault(type.getValueType(), seen, out);
            }
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
