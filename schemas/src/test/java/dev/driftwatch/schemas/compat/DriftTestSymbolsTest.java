package dev.driftwatch.schemas.compat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.schemas.Contracts;
import dev.driftwatch.schemas.RandomRecords;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * Drift tests are added as symbols of the DriftAlert {@code DriftTest} enum. Its default, UNKNOWN, keeps
 * consumers built on an older release reading alerts: a symbol they do not know reads as UNKNOWN.
 */
class DriftTestSymbolsTest {
    private static final Path RELEASED = Path.of("src/test/resources/compat/DriftAlert/v2.avsc");

    @Test
    void shouldLetAnOlderReaderReadEveryTestSymbolAsItselfOrUnknown() throws IOException {
        Schema current = Contracts.schema("DriftAlert");
        Schema released = new Schema.Parser().parse(RELEASED.toFile());
        assertEquals(SchemaCompatibilityType.COMPATIBLE,
                SchemaCompatibility.checkReaderWriterCompatibility(released, current).getType(),
                "DriftAlert v2 readers can no longer read the current schema");
        Schema currentTests = current.getField("test").schema();
        Schema releasedTests = released.getField("test").schema();
        assertEquals("UNKNOWN", currentTests.getEnumDefault(), "the DriftTest enum needs its default");
        RandomRecords random = new RandomRecords(18);
        for (String symbol : currentTests.getEnumSymbols()) {
            GenericRecord alert = (GenericRecord) random.next(current);
            alert.put("test", new GenericData.EnumSymbol(currentTests, symbol));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(current).write(alert, encoder);
            encoder.flush();
            GenericRecord read = new GenericDatumReader<GenericRecord>(current, released)
                    .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
            String expected = releasedTests.getEnumSymbols().contains(symbol) ? symbol : "UNKNOWN";
            assertEquals(expected, read.get("test").toString(), symbol);
        }
        assertTrue(currentTests.getEnumSymbols().containsAll(releasedTests.getEnumSymbols()));
    }
}
