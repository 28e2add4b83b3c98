package dev.driftwatch.schemas.serde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.driftwatch.schemas.RandomRecords;
import dev.driftwatch.schemas.avro.DataQuality;
import dev.driftwatch.schemas.avro.TestStatistic;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The hand-written writer of window statistics gives the generic writer's bytes, whatever the record holds. */
class WindowStatsWriterTest {
    private static final String SCOPE = "window-stats-writer-test";

    @AfterEach
    void dropScope() {
        InMemorySchemaRegistry.dropScope(SCOPE);
    }

    @Test
    void shouldWriteTheGenericWritersBytesForRandomRecordsOfEveryShape() throws IOException {
        RandomRecords random = new RandomRecords(22);
        Schema schema = WindowStats.getClassSchema();
        int withQuality = 0;
        for (int i = 0; i < 2_000; i++) {
            WindowStats s = specific(random.next(schema));
            withQuality += s.getDataQuality() != null ? 1 : 0;
            assertTrue(WindowStatsWriter.writes(s, schema), s.toString());
            assertArrayEquals(generic(s), hand(s), s.toString());
        }
        assertTrue(withQuality > 500, withQuality + " records with data quality");
    }

    @Test
    void shouldWriteTheGenericWritersBytesForEdgeValues() throws IOException {
        List<TestStatistic> statistics = new ArrayList<>();
        for (double v : new double[] {Double.NaN, -0.0, Double.NEGATIVE_INFINITY, Double.MIN_VALUE, 1e308}) {
            statistics.add(new TestStatistic("KS", v, v, null, true, v, null));
        }
        statistics.add(new TestStatistic("", null, null, null, false, null, "reference standard deviation is 0"));
        Map<String, Long> top = new LinkedHashMap<>();
        top.put("zeta", Long.MAX_VALUE);
        top.put("", Long.MIN_VALUE);
        top.put("naïve ✓ 𝄞", -1L);
        DataQuality quality = new DataQuality(0L, -1L, true, Double.NaN, null, 0.0, Long.MIN_VALUE, 3L, null, -1e-300,
                null, 2L, 0.5, top, 0L, "ünïcödé", List.of("ABSENT", "", "UNSEEN_CATEGORIES"));
        WindowStats[] records = {
            new WindowStats("", "", "", "", Instant.ofEpochMilli(0), Instant.ofEpochMilli(-1), null, 0L, 0L, 0L,
                    List.of(), false, null, 0L, null, null, false, null),
            new WindowStats("model ü", "v1", "age", "feature", Instant.ofEpochMilli(Long.MAX_VALUE),
                    Instant.ofEpochMilli(Long.MIN_VALUE), "b-1", Long.MAX_VALUE, Long.MIN_VALUE, -5L, statistics,
                    true, "p-3", 7L, Double.NaN, -0.0, true, null),
            new WindowStats("m", "v", "age", "DATA_QUALITY", Instant.ofEpochMilli(1_700_000_000_000L),
                    Instant.ofEpochMilli(1_700_000_060_000L), null, 3L, 4L, 5L, List.of(), false, null, 0L, 40.0,
                    0.0, false, quality),
        };
        for (WindowStats s : records) {
            assertArrayEquals(generic(s), hand(s), s.toString());
        }
    }

    @Test
    void shouldSerializeWindowStatsInTheWireFormatThroughTheHandWrittenWriterAndReadThemBack() throws IOException {
        AvroRecordSerializer<WindowStats> serializer = new AvroRecordSerializer<>();
        serializer.configure(Map.of("schema.registry.url", "mock://" + SCOPE), false);
        WindowStats s = specific(new RandomRecords(5).next(WindowStats.getClassSchema()));
        assertTrue(WindowStatsWriter.writes(s, s.getSchema()), "the serializer's writer schema takes the hand writer");
        byte[] bytes = serializer.serialize("driftwatch-window-stats", s);
        int id = InMemorySchemaRegistry.forScope(SCOPE).latest("driftwatch-window-stats-value").id();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.write(WireFormat.MAGIC_BYTE);
        expected.write(ByteBuffer.allocate(4).putInt(id).array());
        expected.write(generic(s));
        assertArrayEquals(expected.toByteArray(), bytes);
        SpecificAvroDeserializer<WindowStats> deserializer = new SpecificAvroDeserializer<>(WindowStats.class);
        deserializer.configure(Map.of("schema.registry.url", "mock://" + SCOPE), false);
        assertEquals(s, deserializer.deserialize("driftwatch-window-stats", bytes));
    }

    /**
     * The fields the hand writer writes, in order: a field added to or moved in a schema fails here first, with the
     * fix to make ({@link WindowStatsWriter} writes every field itself).
     */
    @Test
    void shouldKnowEveryFieldOfTheSchemasItWrites() {
        assertEquals(List.of("modelId", "modelVersion", "subject", "subjectKind", "windowStart", "windowEnd",
                        "baselineId", "sampleSize", "missingCount", "referenceSampleSize", "statistics", "drifting",
                        "policyVersion", "lateEventsDropped", "evidence", "sequentialEvidence", "insufficientData",
                        "dataQuality"),
                names(WindowStats.getClassSchema()), "WindowStats changed: update WindowStatsWriter");
        assertEquals(List.of("test", "value", "pValue", "threshold", "overThreshold", "errorBound", "undefinedReason"),
                names(TestStatistic.getClassSchema()), "TestStatistic changed: update WindowStatsWriter");
        assertEquals(List.of("events", "absentCount", "absent", "missingShare", "referenceMissingShare",
                        "missingPValue", "infiniteCount", "outOfRangeCount", "outOfRangeShare", "rangeLow", "rangeHigh",
                        "unseenCount", "unseenShare", "unseenTop", "typeMismatchCount", "typeMismatchExample",
                        "problems"),
                names(DataQuality.getClassSchema()), "DataQuality changed: update WindowStatsWriter");
    }

    private static List<String> names(Schema record) {
        return record.getFields().stream().map(Schema.Field::name).toList();
    }

    @Test
    void shouldLeaveARecordWithANullTheSchemaRefusesToTheGenericWriter() {
        WindowStats s = specific(new RandomRecords(9).next(WindowStats.getClassSchema()));
        s.setSubject(null);
        assertFalse(WindowStatsWriter.writes(s, WindowStats.getClassSchema()));
        AvroRecordSerializer<WindowStats> serializer = new AvroRecordSerializer<>();
        serializer.configure(Map.of("schema.registry.url", "mock://" + SCOPE), false);
        assertThrows(SerializationException.class, () -> serializer.serialize("driftwatch-window-stats", s));
        // Another writer schema (a registered version the record is written as) is the generic writer's too.
        Schema other = new Schema.Parser().parse(WindowStats.getClassSchema().toString());
        WindowStats complete = specific(new RandomRecords(9).next(WindowStats.getClassSchema()));
        assertEquals(WindowStats.getClassSchema(), other);
        assertFalse(WindowStatsWriter.writes(complete, other));
    }

    /** A specific record with the values of a generic one (written and read back). */
    private static WindowStats specific(Object genericRecord) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<>(WindowStats.getClassSchema()).write(genericRecord, encoder);
            encoder.flush();
            SpecificDatumReader<WindowStats> reader = new SpecificDatumReader<>(WindowStats.class);
            return reader.read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] generic(WindowStats s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<WindowStats>(WindowStats.getClassSchema(), SpecificData.getForClass(WindowStats.class))
                .write(s, encoder);
        encoder.flush();
        return out.toByteArray();
    }

    private static byte[] hand(WindowStats s) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        WindowStatsWriter.write(s, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
