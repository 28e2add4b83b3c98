package dev.driftwatch.streams.replay;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.streams.demo.SampleTraffic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventFilesTest {
    @TempDir
    Path dir;

    private static List<InferenceEvent> sample() {
        List<InferenceEvent> events = new ArrayList<>();
        SampleTraffic.events(new SampleTraffic.Plan(2, 20, 1, Duration.ofMinutes(1),
                Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 3), events::add);
        return events;
    }

    private static List<InferenceEvent> read(Path file, BadRecords bad) {
        List<InferenceEvent> out = new ArrayList<>();
        EventFileReader.open(file).read(out::add, bad);
        return out;
    }

    @ParameterizedTest
    @EnumSource(EventFormat.class)
    void shouldReadBackExactlyWhatWasWrittenAndDetectTheFormat(EventFormat format) throws IOException {
        List<InferenceEvent> events = sample();
        Path file = dir.resolve("events.data");
        try (EventFileWriter w = EventFileWriter.create(file, format)) {
            events.forEach(w::write);
        }
        assertEquals(format, EventFormat.detect(file));
        BadRecords bad = new BadRecords();
        List<InferenceEvent> back = read(file, bad);
        assertEquals(0, bad.count(), bad.first().toString());
        assertEquals(events, back);
    }

    @Test
    void shouldShareTheStringsThatRecurInAnAvroFileAndReadEveryStringEqual() throws IOException {
        List<InferenceEvent> events = new ArrayList<>(sample());
        String longCategory = "a category longer than the strings kept for sharing: " + "x".repeat(60);
        events.add(InferenceEvent.newBuilder(events.get(0)).setEventId("long").setCategoricalFeatures(
                Map.of("country", longCategory, "device", "é-ünïcode")).build());
        events.add(InferenceEvent.newBuilder(events.get(1)).setEventId("long-again").setCategoricalFeatures(
                Map.of("country", longCategory, "device", "é-ünïcode")).build());
        Path file = dir.resolve("events.avro");
        try (EventFileWriter w = EventFileWriter.create(file, EventFormat.AVRO)) {
            events.forEach(w::write);
        }
        BadRecords bad = new BadRecords();
        List<InferenceEvent> back = read(file, bad);
        assertEquals(events, back);
        InferenceEvent first = back.get(1);
        InferenceEvent later = back.get(back.size() - 3);
        assertSame(first.getModelId(), later.getModelId());
        for (String name : first.getNumericFeatures().keySet()) {
            assertSame(name, later.getNumericFeatures().keySet().stream().filter(name::equals).findFirst().orElseThrow(),
                    "one String object for the feature name " + name);
        }
        InferenceEvent a = back.get(back.size() - 2);
        InferenceEvent b = back.get(back.size() - 1);
        assertSame(a.getCategoricalFeatures().get("device"), b.getCategoricalFeatures().get("device"));
        assertEquals(longCategory, b.getCategoricalFeatures().get("country"));
    }

    @Test
    void shouldReadAnAvroFileFromItsBlocksAsAvroReadsItMapOrderIncludedWithoutAvroMapsForTheUsualEvents()
            throws IOException {
        List<InferenceEvent> events = new ArrayList<>();
        // without the sample's segment: the decoder reads events without segments, texts or embeddings
        SampleTraffic.events(new SampleTraffic.Plan(2, 3000, 1, Duration.ofMinutes(1),
                Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 3),
                e -> events.add(InferenceEvent.newBuilder(e).setSegment(Map.of()).build()));
        // events the block decoder leaves to Avro (a segment, texts), or learns from Avro first (other names)
        events.add(100, InferenceEvent.newBuilder(events.get(0)).setEventId("segment")
                .setSegment(Map.of("region", "eu-west")).build());
        events.add(200, InferenceEvent.newBuilder(events.get(1)).setEventId("text")
                .setTexts(Map.of("prompt", "hello")).build());
        for (int i = 0; i < 40; i++) {
            events.add(300 + i, InferenceEvent.newBuilder(events.get(2)).setEventId("other-names-" + i)
                    .setNumericFeatures(Map.of("a", 1.0 * i, "b", -0.5, "zz", Double.NaN))
                    .setCategoricalFeatures(Map.of()).build());
        }
        events.add(400, InferenceEvent.newBuilder(events.get(3)).setEventId("no-features")
                .setNumericFeatures(Map.of()).setCategoricalFeatures(Map.of()).build());
        Path file = dir.resolve("blocks.avro");
        try (EventFileWriter w = EventFileWriter.create(file, EventFormat.AVRO)) {
            events.forEach(w::write);
        }
        List<String> avro = new ArrayList<>();
        try (var in = Files.newInputStream(file); var stream = new org.apache.avro.file.DataFileStream<>(in,
                new org.apache.avro.specific.SpecificDatumReader<>(InferenceEvent.class))) {
            stream.forEach(e -> avro.add(e.toString()));
        }
        BadRecords bad = new BadRecords();
        List<InferenceEvent> back = read(file, bad);
        assertEquals(0, bad.count(), bad.first().toString());
        assertEquals(events, back);
        // toString walks the maps in their order: the same order as Avro's hash maps
        assertEquals(avro, back.stream().map(InferenceEvent::toString).toList());
        long hashMaps = back.stream().filter(e -> e.getNumericFeatures() instanceof java.util.HashMap).count();
        assertTrue(hashMaps < 10, hashMaps + " of " + back.size() + " events read into Avro's hash maps");
    }

    @Test
    void shouldReadAvroFilesOfEveryCodecAndBlockSizeAlike() throws IOException {
        List<InferenceEvent> events = new ArrayList<>();
        SampleTraffic.events(new SampleTraffic.Plan(2, 3000, 1, Duration.ofMinutes(1),
                Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 3), events::add);
        // blocks of a few records to blocks larger than the reader's first buffers; deflated and not
        for (org.apache.avro.file.CodecFactory codec : List.of(org.apache.avro.file.CodecFactory.nullCodec(),
                org.apache.avro.file.CodecFactory.deflateCodec(1), org.apache.avro.file.CodecFactory.deflateCodec(9))) {
            for (int syncInterval : new int[] {32, 64_000, 1 << 20}) {
                Path file = dir.resolve("codec.avro");
                try (org.apache.avro.file.DataFileWriter<InferenceEvent> w = new org.apache.avro.file.DataFileWriter<>(
                        new org.apache.avro.specific.SpecificDatumWriter<>(InferenceEvent.class))) {
                    w.setCodec(codec);
                    w.setSyncInterval(syncInterval);
                    w.create(InferenceEvent.getClassSchema(), file.toFile());
                    for (InferenceEvent e : events) {
                        w.append(e);
                    }
                }
                BadRecords bad = new BadRecords();
                assertEquals(events, read(file, bad), codec + ", sync interval " + syncInterval);
                assertEquals(0, bad.count(), bad.first().toString());
            }
        }
    }

    @Test
    void shouldReadAPrefixOfATruncatedAvroFileAndCountTheDamageAsOneBadRecordAtItsOffset() throws IOException {
        List<InferenceEvent> events = new ArrayList<>();
        SampleTraffic.events(new SampleTraffic.Plan(2, 2000, 1, Duration.ofMinutes(1),
                Instant.parse("2026-11-01T09:00:00Z").toEpochMilli(), 3), events::add);
        Path whole = dir.resolve("whole.avro");
        try (EventFileWriter w = EventFileWriter.create(whole, EventFormat.AVRO)) {
            events.forEach(w::write);
        }
        byte[] bytes = Files.readAllBytes(whole);
        for (int cut : new int[] {bytes.length - 1, bytes.length - 17, (int) (bytes.length * 0.75), bytes.length / 2,
                bytes.length / 5}) {
            Path file = dir.resolve("cut.avro");
            Files.write(file, java.util.Arrays.copyOf(bytes, cut));
            BadRecords bad = new BadRecords();
            List<InferenceEvent> back = read(file, bad);
            assertEquals(1, bad.count(), "cut at " + cut + " of " + bytes.length + ": " + bad.first());
            assertTrue(back.size() < events.size(), "cut at " + cut);
            assertEquals(events.subList(0, back.size()), back, "the events before the damage, in order");
            String problem = bad.first().get(0);
            assertTrue(problem.startsWith("byte offset ") && problem.contains("the " + back.size()
                    + " records before it are read"), problem);
            long offset = Long.parseLong(problem.substring("byte offset ".length(), problem.indexOf(':')));
            assertTrue(offset > 0 && offset < cut, problem);
        }
        Path header = dir.resolve("header.avro");
        Files.write(header, java.util.Arrays.copyOf(bytes, 30));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(header, new BadRecords()));
        assertTrue(e.getMessage().contains("damaged Avro container at byte offset 0"), e.getMessage());
    }

    @Test
    void shouldCountBadJsonLinesWithTheirLineNumbersAndKeepTheGoodOnes() throws IOException {
        InferenceEvent good = sample().get(0);
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, String.join("\n",
                EventJson.write(good),
                "{not json",
                "{\"request_id\":\"r\",\"model_id\":\"m\",\"model_version\":\"1\"}",
                "",
                "{\"request_id\":\"r\",\"model_id\":\"m\",\"model_version\":\"1\",\"event_time\":\"yesterday\"}",
                "{\"request_id\":\"r\",\"model_id\":\"m\",\"model_version\":\"1\",\"event_time\":1,\"colour\":\"red\"}",
                EventJson.write(good)) + "\n");
        BadRecords bad = new BadRecords();
        List<InferenceEvent> back = read(file, bad);
        assertEquals(List.of(good, good), back);
        assertEquals(4, bad.count());
        List<String> problems = bad.first();
        assertTrue(problems.get(0).startsWith("line 2: not JSON"), problems.toString());
        assertTrue(problems.get(1).startsWith("line 3: event_time is missing"), problems.toString());
        assertTrue(problems.get(2).startsWith("line 5: event_time 'yesterday' is not an ISO-8601 time"),
                problems.toString());
        assertTrue(problems.get(3).startsWith("line 6: unknown member 'colour'"), problems.toString());
    }

    @Test
    void shouldReadTheAvroJsonEncodingAndEpochMillisecondTimes() throws IOException {
        String avroJson = "{\"eventId\":\"e1\",\"requestId\":\"r1\",\"modelId\":\"m\",\"modelVersion\":\"2\","
                + "\"role\":\"CANARY\",\"eventTime\":1761987600000,\"numericFeatures\":{\"x\":1.5},"
                + "\"categoricalFeatures\":{},\"outputs\":{\"score\":{\"double\":0.25},\"label\":null,\"confidence\":null},"
                + "\"latencyMs\":null,\"tokensIn\":{\"long\":12},\"tokensOut\":null,\"cost\":null,\"errorCode\":null,"
                + "\"segment\":{}}";
        String flat = "{\"request_id\":\"r2\",\"model_id\":\"m\",\"model_version\":\"2\",\"event_time\":1761987600000,"
                + "\"numeric_features\":{\"x\":null}}";
        Path file = dir.resolve("events.jsonl");
        Files.writeString(file, avroJson + "\n" + flat + "\n");
        BadRecords bad = new BadRecords();
        List<InferenceEvent> back = read(file, bad);
        assertEquals(0, bad.count(), bad.first().toString());
        assertEquals(DeploymentRole.CANARY, back.get(0).getRole());
        assertEquals(12L, back.get(0).getTokensIn());
        assertEquals(0.25, back.get(0).getOutputs().getScore());
        assertEquals(Instant.ofEpochMilli(1761987600000L), back.get(1).getEventTime());
        assertEquals("r2", back.get(1).getEventId(), "event id defaults to the request id");
        assertTrue(back.get(1).getNumericFeatures().get("x").isNaN(), "null is a missing value");
    }

    @Test
    void shouldReadCsvWithPrefixedFeatureColumnsAndReportBadRows() throws IOException {
        Path file = dir.resolve("events.csv");
        Files.writeString(file, String.join("\n",
                "request_id,model_id,model_version,event_time,f.age,c.device,score,tokens_in",
                "r1,m,1,2026-11-01T09:00:00Z,41,mobile,0.5,",
                "r2,m,1,1761987600000,NaN,,,7",
                "r3,m,1,2026-11-01T09:00:01Z,old,desktop,,",
                "r4,m,1,2026-11-01T09:00:02Z,40",
                "r5,m,,2026-11-01T09:00:02Z,40,tablet,,") + "\n");
        BadRecords bad = new BadRecords();
        List<InferenceEvent> back = read(file, bad);
        assertEquals(2, back.size());
        assertEquals(Map.of("age", 41.0), back.get(0).getNumericFeatures());
        assertEquals(Map.of("device", "mobile"), back.get(0).getCategoricalFeatures());
        assertTrue(back.get(1).getNumericFeatures().get("age").isNaN());
        assertEquals(Map.of(), back.get(1).getCategoricalFeatures());
        assertEquals(7L, back.get(1).getTokensIn());
        assertEquals(List.of("line 4: f.age 'old' is not a number", "line 5: expected 8 fields, found 5",
                "line 6: model_version is missing"), bad.first());
    }

    @Test
    void shouldHandCsvEventsFeatureNamesAndRecurringValuesAsOneStringEachAsTheAvroReaderDoes() throws IOException {
        Path file = dir.resolve("shared.csv");
        Files.writeString(file, String.join("\n",
                "request_id,model_id,model_version,event_time,f.age,f.income,c.device",
                "r1,m,1,2026-11-01T09:00:00Z,41,3.5,mobile",
                "r2,m,1,2026-11-01T09:00:01Z,42,,mobile",
                "r3,m,1,2026-11-01T09:00:02Z,43,2.5,mobile") + "\n");
        BadRecords bad = new BadRecords();
        List<InferenceEvent> back = read(file, bad);
        assertEquals(0, bad.count(), bad.first().toString());
        assertEquals(Map.of("age", 42.0), back.get(1).getNumericFeatures(), "an empty cell is no feature");
        assertEquals(List.of("age", "income"), List.copyOf(back.get(2).getNumericFeatures().keySet()), "column order");
        for (int i = 1; i < back.size(); i++) {
            assertSame(back.get(0).getNumericFeatures().keySet().iterator().next(),
                    back.get(i).getNumericFeatures().keySet().iterator().next(), "row " + i);
            assertSame(back.get(0).getCategoricalFeatures().keySet().iterator().next(),
                    back.get(i).getCategoricalFeatures().keySet().iterator().next(), "row " + i);
            assertSame(back.get(0).getCategoricalFeatures().get("device"),
                    back.get(i).getCategoricalFeatures().get("device"), "row " + i);
            assertSame(back.get(0).getModelId(), back.get(i).getModelId(), "row " + i);
        }
        assertTrue(back.stream().noneMatch(e -> e.getNumericFeatures() instanceof java.util.HashMap),
                "features in arrays, as the summarizer reads them without boxing");
    }

    @Test
    void shouldHandJsonLinesEventsFeaturesInArraysAsTheAvroReaderDoes() throws IOException {
        Path file = dir.resolve("arrays.jsonl");
        Files.writeString(file, String.join("\n",
                "{\"request_id\":\"r1\",\"model_id\":\"m\",\"model_version\":\"1\",\"event_time\":1,"
                        + "\"numeric_features\":{\"age\":41,\"income\":null,\"tenure\":\"2.5\"},"
                        + "\"categorical_features\":{\"device\":\"mobile\",\"plan\":\"pro\"}}",
                "{\"request_id\":\"r2\",\"model_id\":\"m\",\"model_version\":\"1\",\"event_time\":2}") + "\n");
        BadRecords bad = new BadRecords();
        List<InferenceEvent> back = read(file, bad);
        assertEquals(0, bad.count(), bad.first().toString());
        InferenceEvent e = back.get(0);
        assertEquals(List.of("age", "income", "tenure"), List.copyOf(e.getNumericFeatures().keySet()), "member order");
        assertEquals(41.0, e.getNumericFeatures().get("age"));
        assertTrue(e.getNumericFeatures().get("income").isNaN(), "null is a missing value");
        assertEquals(2.5, e.getNumericFeatures().get("tenure"));
        assertEquals(Map.of("device", "mobile", "plan", "pro"), e.getCategoricalFeatures());
        assertEquals(List.of("device", "plan"), List.copyOf(e.getCategoricalFeatures().keySet()), "member order");
        assertTrue(!(e.getNumericFeatures() instanceof java.util.HashMap)
                        && !(e.getCategoricalFeatures() instanceof java.util.HashMap),
                "features in arrays, as the summarizer reads them without boxing");
        assertEquals(Map.of(), back.get(1).getNumericFeatures());
        assertEquals(Map.of(), back.get(1).getCategoricalFeatures());
    }

    @Test
    void shouldRefuseACsvHeaderWithAnUnknownOrMissingColumn() throws IOException {
        Path unknown = dir.resolve("unknown.csv");
        Files.writeString(unknown, "request_id,model_id,model_version,event_time,age\nr,m,1,1,2\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> read(unknown, new BadRecords()));
        assertTrue(e.getMessage().contains("unknown column 'age'"), e.getMessage());
        Path missing = dir.resolve("missing.csv");
        Files.writeString(missing, "request_id,model_id,event_time\nr,m,1\n");
        e = assertThrows(IllegalArgumentException.class, () -> read(missing, new BadRecords()));
        assertTrue(e.getMessage().contains("no 'model_version' column"), e.getMessage());
    }

    @Test
    void shouldRefuseAMissingFileAndAnUnknownFormatName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EventFileReader.open(dir.resolve("nope.avro")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> EventFormat.of("parquet"));
        assertTrue(e.getMessage().contains("expected avro, jsonl or csv"), e.getMessage());
    }

    @Test
    void shouldReportACorruptAvroFileAsABadRecordNotSilently() throws IOException {
        Path file = dir.resolve("events.avro");
        try (EventFileWriter w = EventFileWriter.create(file, EventFormat.AVRO)) {
            sample().forEach(w::write);
        }
        byte[] bytes = Files.readAllBytes(file);
        for (int i = bytes.length - 60; i < bytes.length - 20; i++) {
            bytes[i] ^= 0x5a;
        }
        Files.write(file, bytes);
        BadRecords bad = new BadRecords();
        try {
            read(file, bad);
        } catch (IllegalArgumentException e) {
            return; // the whole file refused, with a message: also not silent
        }
        assertEquals(1, bad.count());
        assertTrue(bad.first().get(0).contains("unreadable Avro block"), bad.first().toString());
    }
}
