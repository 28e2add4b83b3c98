package dev.driftwatch.streams.internals;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.schemas.registry.InMemorySchemaRegistry;
import dev.driftwatch.schemas.serde.BadRecordException;
import dev.driftwatch.schemas.serde.SpecificAvroDeserializer;
import dev.driftwatch.schemas.serde.WireFormat;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EventDecoderTest {
    private static final int CURRENT = 7;
    private static final int OLDER = 8;
    private static final int OTHER_RECORD = 9;
    private InMemorySchemaRegistry registry;
    private SpecificAvroDeserializer<InferenceEvent> deserializer;
    private EventDecoder decoder;

    @BeforeEach
    void setUp() {
        registry = new InMemorySchemaRegistry();
        registry.register("inference-events-value", InferenceEvent.getClassSchema(), CURRENT);
        registry.register("older-value", olderSchema(), OLDER);
        registry.register("other-value", Schema.createRecord("Other", null, "x", false,
                List.of(new Schema.Field("a", Schema.create(Schema.Type.STRING)))), OTHER_RECORD);
        deserializer = new SpecificAvroDeserializer<>(InferenceEvent.class, registry);
        decoder = new EventDecoder(deserializer);
    }

    @Test
    void shouldReadEveryEventAsTheDeserializerDoesWithMapsInTheSameOrder() {
        SplittableRandom random = new SplittableRandom(7);
        List<InferenceEvent> events = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            events.add(event(random, i));
        }
        int fast = 0;
        for (InferenceEvent e : events) {
            fast += readAlike(frame(CURRENT, e));
        }
        // most events have one of a few shapes: only the first of each and those with segments or texts are not
        assertTrue(fast > 250, fast + " of 400 events read without the deserializer");
    }

    @Test
    void shouldReadEveryEventAsTheDeserializerDoesWhenItReusesItsMaps() {
        EventDecoder reusing = new EventDecoder(deserializer, true);
        SplittableRandom random = new SplittableRandom(7);
        int fast = 0;
        for (int i = 0; i < 400; i++) {
            byte[] bytes = frame(CURRENT, event(random, i));
            InferenceEvent read = reusing.deserialize("inference-events", null, bytes);
            assertSame(deserializer.deserialize("inference-events", bytes), read);
            fast += read.getNumericFeatures() instanceof EventDecoder.NumericMap ? 1 : 0;
        }
        assertTrue(fast > 250, fast + " of 400 events read without the deserializer");
    }

    @Test
    void shouldKeepTheValuesOfEarlierEventsWhenItDoesNotReuseItsMaps() {
        SplittableRandom random = new SplittableRandom(13);
        List<InferenceEvent> expected = new ArrayList<>();
        List<InferenceEvent> read = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            byte[] bytes = frame(CURRENT, event(random, i));
            expected.add(deserializer.deserialize("inference-events", bytes));
            read.add(decoder.deserialize("inference-events", null, bytes));
        }
        for (int i = 0; i < expected.size(); i++) {
            assertSame(expected.get(i), read.get(i));
        }
    }

    @Test
    void shouldReadNamesLongerThanEightBytesAndOfLongLengthPrefixes() {
        // keys of 1-byte and 2-byte length prefixes, names of 1 to 80 bytes (multi-byte UTF-8 too): the same values
        Map<String, Double> numeric = new LinkedHashMap<>();
        Map<String, String> categorical = new LinkedHashMap<>();
        for (int n = 1; n <= 80; n += 3) {
            numeric.put("x".repeat(n - 1) + "é", (double) n);
            categorical.put("k".repeat(n), "v".repeat(n % 7));
        }
        EventDecoder reusing = new EventDecoder(deserializer, true);
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < 20; i++) {
            InferenceEvent e = event(random, i);
            numeric.replaceAll((k, v) -> random.nextGaussian());
            e.setNumericFeatures(new LinkedHashMap<>(numeric));
            e.setCategoricalFeatures(new LinkedHashMap<>(categorical));
            e.setSegment(Map.of());
            e.setTexts(Map.of());
            byte[] bytes = frame(CURRENT, e);
            InferenceEvent read = reusing.deserialize("inference-events", null, bytes);
            assertSame(deserializer.deserialize("inference-events", bytes), read);
            if (i > 0) {
                assertInstanceOf(EventDecoder.NumericMap.class, read.getNumericFeatures(), "read without Avro");
                assertInstanceOf(EventDecoder.CategoricalMap.class, read.getCategoricalFeatures());
            }
        }
    }

    @Test
    void shouldTellCachedCategoriesApartThatShareTheirFirstBytesOrLengths() {
        // Values of 0 to 10 bytes, many sharing a prefix or a length with another (and a multi-byte one), more of them
        // than a value cache holds, in turn at three features: each read as the deserializer reads it.
        List<String> values = List.of("", "a", "ab", "abc", "abcdefg", "abcdefgh", "abcdefgz", "abcdefghi",
                "abcdefghij", "bbcdefgh", "é", "éé", "aé", "a\u0000", "zzzzzzzz", "zzzzzzzy", "v1", "v2", "v10", "w1");
        EventDecoder reusing = new EventDecoder(deserializer, true);
        SplittableRandom random = new SplittableRandom(23);
        int fast = 0;
        for (int i = 0; i < 300; i++) {
            InferenceEvent e = event(random, i);
            Map<String, String> categorical = new LinkedHashMap<>();
            for (int f = 0; f < 3; f++) {
                categorical.put("c" + f, values.get(random.nextInt(values.size())));
            }
            e.setNumericFeatures(Map.of("n", 1.0));
            e.setCategoricalFeatures(categorical);
            e.setModelVersion(values.get(random.nextInt(values.size())));
            e.setSegment(Map.of());
            e.setTexts(Map.of());
            byte[] bytes = frame(CURRENT, e);
            InferenceEvent read = reusing.deserialize("inference-events", null, bytes);
            assertSame(deserializer.deserialize("inference-events", bytes), read);
            fast += read.getCategoricalFeatures() instanceof EventDecoder.CategoricalMap ? 1 : 0;
        }
        assertTrue(fast > 250, fast + " of 300 events read without the deserializer");
    }

    @Test
    void shouldReadAnEventWhoseFeatureNameDiffersInOneByteWithTheDeserializer() {
        InferenceEvent e = event(new SplittableRandom(19), 1);
        Map<String, Double> numeric = new LinkedHashMap<>();
        for (int f = 0; f < 12; f++) {
            numeric.put("n" + f, (double) f);
        }
        e.setNumericFeatures(numeric);
        e.setSegment(Map.of());
        e.setTexts(Map.of());
        EventDecoder reusing = new EventDecoder(deserializer, true);
        reusing.deserialize("t", null, frame(CURRENT, e));
        for (String renamed : List.of("m0", "n0x", "n", "o11")) {
            Map<String, Double> other = new LinkedHashMap<>(numeric);
            other.remove(renamed.equals("o11") ? "n11" : "n0");
            other.put(renamed, 99.0);
            e.setNumericFeatures(other);
            byte[] bytes = frame(CURRENT, e);
            assertSame(deserializer.deserialize("t", bytes), reusing.deserialize("t", null, bytes));
        }
    }

    @Test
    void shouldReadUnframedRecordsBackToBackAsTheDeserializerDoesAndSayWhereEachEnds() {
        SplittableRandom random = new SplittableRandom(11);
        List<InferenceEvent> events = new ArrayList<>();
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        List<Integer> ends = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            InferenceEvent e = event(random, i);
            byte[] framed = frame(CURRENT, e);
            block.write(framed, WireFormat.HEADER_SIZE, framed.length - WireFormat.HEADER_SIZE);
            events.add(deserializer.deserialize("t", framed));
            ends.add(block.size());
        }
        byte[] data = block.toByteArray();
        int fields = EventDecoder.readableFields(InferenceEvent.getClassSchema());
        int at = 0;
        int fast = 0;
        for (int i = 0; i < events.size(); i++) {
            InferenceEvent read = decoder.readRecord(data, at, fields);
            if (read == null) {
                read = events.get(i); // what Avro reads: the caller's part
                decoder.learnRecord(data, at, fields, read);
                at = ends.get(i);
            } else {
                assertEquals(ends.get(i), decoder.position(), "end of record " + i);
                at = decoder.position();
                fast++;
            }
            assertSame(events.get(i), read);
        }
        assertTrue(fast > 120, fast + " of 200 records read without Avro");
    }

    @Test
    void shouldReadAnOlderWriterSchemaWithTheDefaultsOfTheNewFields() {
        SplittableRandom random = new SplittableRandom(3);
        int fast = 0;
        for (int i = 0; i < 50; i++) {
            GenericRecord old = new GenericData.Record(olderSchema());
            InferenceEvent e = event(random, i);
            for (Schema.Field f : olderSchema().getFields()) {
                old.put(f.name(), f.name().equals("role") ? new GenericData.EnumSymbol(f.schema(), e.getRole().name())
                        : f.name().equals("eventTime") ? e.getEventTime().toEpochMilli()
                        : f.name().equals("outputs") ? outputsRecord(f.schema(), e.getOutputs())
                        : e.get(f.name()));
            }
            fast += readAlike(frame(OLDER, old.getSchema(), old));
        }
        assertTrue(fast > 10, fast + " of 50 events read without the deserializer");
    }

    @Test
    void shouldFailOnBadRecordsExactlyAsTheDeserializer() {
        SplittableRandom random = new SplittableRandom(5);
        InferenceEvent e = event(random, 1);
        byte[] good = frame(CURRENT, e);
        decoder.deserialize("t", null, good);
        decoder.deserialize("t", null, good); // its shape is known now
        List<byte[]> bad = new ArrayList<>();
        bad.add(Arrays.copyOf(good, good.length - 3)); // truncated
        bad.add(Arrays.copyOf(good, good.length + 2)); // bytes left over
        bad.add(new byte[] {1, 0, 0, 0, 7}); // wrong magic byte
        bad.add(new byte[] {0, 0});
        bad.add(WireFormat.frame(OTHER_RECORD, new byte[] {2, 'a'}));
        bad.add(WireFormat.frame(999, new byte[] {2, 'a'})); // unknown id
        bad.add(withByte(good, roleOffset(good), (byte) 40)); // enum index out of range
        for (byte[] b : bad) {
            RuntimeException expected = assertThrows(RuntimeException.class, () -> deserializer.deserialize("t", b));
            RuntimeException actual = assertThrows(RuntimeException.class, () -> decoder.deserialize("t", null, b));
            assertEquals(expected.getClass(), actual.getClass());
            assertEquals(expected.getMessage(), actual.getMessage());
            if (expected instanceof BadRecordException be) {
                assertEquals(be.reason(), ((BadRecordException) actual).reason());
            }
        }
    }

    @Test
    void shouldReadWithTheDeserializerAloneWhenItIsNotTheTopicsAvroOne() {
        InferenceEvent e = event(new SplittableRandom(1), 1);
        EventDecoder handedOver = new EventDecoder((topic, bytes) -> e);
        byte[] bytes = frame(CURRENT, e);
        handedOver.deserialize("t", null, bytes);
        InferenceEvent read = handedOver.deserialize("t", null, bytes);
        assertEquals(e, read);
        assertTrue(read == e, "the deserializer's own object");
    }

    /** Checks that the decoder reads the record as the deserializer does; 1 when it did without the deserializer. */
    private int readAlike(byte[] bytes) {
        InferenceEvent expected = deserializer.deserialize("inference-events", bytes);
        InferenceEvent read = decoder.deserialize("inference-events", null, bytes);
        assertSame(expected, read);
        return read.getNumericFeatures() instanceof EventDecoder.NumericMap ? 1 : 0;
    }

    private static void assertSame(InferenceEvent expected, InferenceEvent read) {
        assertEquals(expected, read);
        assertEquals(expected.toString(), read.toString(), "field order and map order");
        assertEquals(new ArrayList<>(expected.getNumericFeatures().entrySet()),
                new ArrayList<>(read.getNumericFeatures().entrySet()));
        assertEquals(new ArrayList<>(expected.getCategoricalFeatures().entrySet()),
                new ArrayList<>(read.getCategoricalFeatures().entrySet()));
        assertEquals(expected.hashCode(), read.hashCode());
        assertInstanceOf(ModelOutputs.class, read.getOutputs());
    }

    private static void assertTrue(boolean condition, String message) {
        org.junit.jupiter.api.Assertions.assertTrue(condition, message);
    }

    /** Events of a few shapes (names and their order), some with nulls, empty maps, segments, texts and long names. */
    private static InferenceEvent event(SplittableRandom random, int i) {
        int shape = random.nextInt(4);
        Map<String, Double> numeric = new LinkedHashMap<>();
        int n = shape == 3 ? 40 : 5 + shape * 3;
        for (int f = 0; f < n; f++) {
            double v = random.nextDouble() < 0.05 ? Double.NaN : random.nextGaussian();
            numeric.put((shape == 2 ? "feature_" : "n") + (shape == 1 ? n - f : f), v);
        }
        Map<String, String> categorical = new LinkedHashMap<>();
        for (int f = 0; f < (shape == 0 ? 0 : 3 + shape); f++) {
            categorical.put("c" + f + (shape == 3 ? "é" : ""),
                    random.nextDouble() < 0.1 ? "" : "v" + random.nextInt(shape == 3 ? 1000 : 4));
        }
        Map<String, String> segment = random.nextDouble() < 0.1 ? Map.of("region", "eu") : Map.of();
        Map<String, String> texts = random.nextDouble() < 0.05 ? Map.of("prompt", "hello there") : Map.of();
        boolean nulls = random.nextBoolean();
        return InferenceEvent.newBuilder()
                .setEventId("e-" + i).setRequestId("r-" + i)
                .setModelId(random.nextBoolean() ? "m" : "model-two").setModelVersion("v" + random.nextInt(3))
                .setRole(DeploymentRole.values()[random.nextInt(3)])
                .setEventTime(Instant.ofEpochMilli(1_790_000_000_000L + i))
                .setNumericFeatures(numeric).setCategoricalFeatures(categorical)
                .setOutputs(ModelOutputs.newBuilder().setScore(nulls ? null : random.nextDouble())
                        .setLabel(nulls ? null : "yes").setConfidence(nulls ? 0.5 : null).build())
                .setLatencyMs(nulls ? null : 12.5).setTokensIn(nulls ? 7L : null).setTokensOut(null)
                .setCost(nulls ? null : 0.001).setErrorCode(random.nextDouble() < 0.1 ? "TIMEOUT" : null)
                .setSegment(segment).setTexts(texts)
                .build();
    }

    private static GenericRecord outputsRecord(Schema schema, ModelOutputs o) {
        GenericRecord r = new GenericData.Record(schema);
        r.put("score", o.getScore());
        r.put("label", o.getLabel());
        r.put("confidence", o.getConfidence());
        return r;
    }

    /** The InferenceEvent schema without its last three fields (texts, textTokens, embeddings), as released before. */
    private static Schema olderSchema() {
        List<Schema.Field> fields = new ArrayList<>();
        List<Schema.Field> current = InferenceEvent.getClassSchema().getFields();
        for (Schema.Field f : current.subList(0, current.size() - 3)) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        return Schema.createRecord("InferenceEvent", null, "dev.driftwatch.schemas.avro", false, fields);
    }

    private static byte[] frame(int id, InferenceEvent e) {
        return frame(id, InferenceEvent.getClassSchema(), e);
    }

    private static byte[] frame(int id, Schema schema, Object record) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new SpecificDatumWriter<>(schema).write(record, encoder);
            encoder.flush();
            return WireFormat.frame(id, out.toByteArray());
        } catch (IOException x) {
            throw new IllegalStateException(x);
        }
    }

    /** The offset of the role's enum index: after the header and the four strings (lengths under 64 bytes). */
    private static int roleOffset(byte[] data) {
        int p = WireFormat.HEADER_SIZE;
        for (int i = 0; i < 4; i++) {
            p += 1 + data[p] / 2;
        }
        return p;
    }

    private static byte[] withByte(byte[] data, int at, byte b) {
        byte[] copy = data.clone();
        copy[at] = b;
        return copy;
    }
}
