package dev.driftwatch.streams.failure;

import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.WindowStats;
import dev.driftwatch.schemas.serde.GenericAvroSerializer;
import dev.driftwatch.streams.embedded.EmbeddedKafkaBrokerExtension;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Events out of order: within the grace period they count in their window; beyond it they are dropped and
 * counted in {@link WindowStats#getLateEventsDropped()}. And a new optional field in the producers' schema,
 * mid-stream, is read by the running pipeline without a restart.
 */
@Timeout(240)
class LateAndEvolvedEventsIntegrationTest {
    @RegisterExtension
    static final EmbeddedKafkaBrokerExtension KAFKA =
            new EmbeddedKafkaBrokerExtension(Map.of("log.retention.ms", "-1"));

    @TempDir
    static Path dir;

    private static final long T0 = FailureTraffic.T0;
    private static final long W = FailureTraffic.WINDOW_MS;

    @Test
    void shouldCountOutOfOrderEventsWithinGraceAndCountLateOnesInWindowStats() throws Exception {
        // grace 20 s: window [0, 60 s) closes when the partition's stream time reaches 80 s
        try (PipelineUnderTest p = new PipelineUnderTest(KAFKA.broker(), "late-events", dir.resolve("late"),
                Map.of("window.grace.ms", "20000"))) {
            FailureTraffic.Generator gen = new FailureTraffic.Generator(5, 100, 99, 99);
            for (int i = 0; i < 100; i++) {
                p.send(gen.stableAt(T0 + i * 500L)); // window 0: 0 .. 49.5 s
            }
            p.send(gen.stableAt(T0 + W + 2_000)); // window 1, stream time 62 s
            for (int i = 0; i < 10; i++) {
                p.send(gen.stableAt(T0 + 55_000 + i)); // out of order, window 0, within grace: counted
            }
            for (int i = 0; i < 5; i++) {
                p.send(gen.stableAt(T0 + W + 1_000 + i)); // window 1, out of order inside the open window
            }
            p.send(gen.stableAt(T0 + W + 25_000)); // stream time 85 s: window 0 closes
            for (int i = 0; i < 7; i++) {
                p.send(gen.stableAt(T0 + 30_000 + i)); // window 0 again: beyond grace, dropped and counted
            }
            p.send(gen.stableAt(T0 + W + 30_000)); // window 1
            p.send(gen.stableAt(T0 + 4 * W)); // closes window 1
            p.flush();
            p.readUntil("windows 0 and 1", Duration.ofSeconds(90), () -> p.driftCount() >= 2 * FailureTraffic.SUBJECTS);

            WindowStats first = single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.STABLE, "age", T0));
            assertEquals(110, first.getSampleSize(), "100 in order + 10 out of order within grace");
            assertEquals(0, first.getLateEventsDropped());
            WindowStats second = single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.STABLE, "age", T0 + W));
            assertEquals(1 + 5 + 1 + 1, second.getSampleSize());
            assertEquals(7, second.getLateEventsDropped(), "events beyond grace are counted, not silently lost");
            for (WindowStats s : p.stats) {
                if (s.getWindowStart().toEpochMilli() == T0 + W) {
                    assertEquals(7, s.getLateEventsDropped(), "every subject of the window carries the count: " + s);
                }
            }
            assertTrue(p.deadLetters.isEmpty(), "late events are not dead letters");
        }
    }

    @Test
    void shouldReadEventsOfANewSchemaVersionWithAnOptionalFieldWithoutARestart() throws Exception {
        try (PipelineUnderTest p = new PipelineUnderTest(KAFKA.broker(), "schema-change", dir.resolve("schema"),
                Map.of())) {
            Schema v1 = InferenceEvent.getClassSchema();
            Schema v2 = evolved(v1);
            GenericAvroSerializer v2Writer = new GenericAvroSerializer();
            v2Writer.configure(Map.of("schema.registry.url", "mock://schema-change"), false);
            FailureTraffic.Generator gen = new FailureTraffic.Generator(9, 200, 99, 99);
            // Window 0: v1 only, read back, so the pipeline is running on v1 when the producer changes.
            for (int i = 0; i < 200; i++) {
                p.send(gen.stable(0, i));
            }
            p.send(gen.stable(1, 0));
            p.send(gen.stableAt(T0 + W + FailureTraffic.GRACE_MS));
            p.flush();
            p.readUntil("window 0", Duration.ofSeconds(90), () -> p.driftCount() >= FailureTraffic.SUBJECTS);
            assertEquals(200, single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.STABLE, "age", T0)).getSampleSize());
            // Window 1: v1 and v2 interleaved, 199 more events.
            List<Integer> ids = new ArrayList<>();
            int v2Events = 0;
            for (int i = 1; i < 199; i++) {
                InferenceEvent e = gen.stable(1, i);
                if (i % 2 == 0) {
                    p.send(e);
                } else {
                    GenericRecord r = toEvolved(e, v1, v2);
                    r.put("tenant", "tenant-" + (i % 3));
                    byte[] bytes = v2Writer.serialize(p.topics.events().name(), r);
                    ids.add(ByteBuffer.wrap(bytes, 1, 4).getInt());
                    p.send(e.getRequestId(), bytes, e.getEventTime().toEpochMilli());
                    v2Events++;
                }
            }
            p.send(gen.stableAt(T0 + 3 * W));
            p.flush();
            byte[] v1Bytes = p.topics.events().valueSerde().serializer().serialize(p.topics.events().name(),
                    gen.stable(0, 0));
            assertNotEquals(ByteBuffer.wrap(v1Bytes, 1, 4).getInt(), ids.get(0), "v2 has its own schema id");
            assertEquals(99, v2Events);
            p.readUntil("window 1", Duration.ofSeconds(90), () -> p.driftCount() >= 2 * FailureTraffic.SUBJECTS);
            // 1 + 1 events sent before the change, and 198 after: 99 of v1, 99 of v2
            assertEquals(200, single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.STABLE, "age", T0 + W))
                    .getSampleSize());
            assertEquals(200, single(p.statsOf(FailureTraffic.MODEL, FailureTraffic.STABLE, "country", T0 + W))
                    .getSampleSize());
            assertTrue(p.deadLetters.isEmpty(), "no dead letters: " + p.deadLetters);
            assertEquals(KafkaStreams.State.RUNNING, p.app.state());
        }
    }

    /** InferenceEvent with one more field: an optional {@code tenant} string, default null. */
    static Schema evolved(Schema v1) {
        List<Schema.Field> fields = new ArrayList<>();
        for (Schema.Field f : v1.getFields()) {
            fields.add(new Schema.Field(f, f.schema()));
        }
        fields.add(new Schema.Field("tenant", Schema.createUnion(Schema.create(Schema.Type.NULL),
                Schema.create(Schema.Type.STRING)), "Tenant that made the request (added in v2).",
                Schema.Field.NULL_DEFAULT_VALUE));
        return Schema.createRecord(v1.getName(), v1.getDoc(), v1.getNamespace(), false, fields);
    }

    private static GenericRecord toEvolved(InferenceEvent e, Schema v1, Schema v2) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new SpecificDatumWriter<InferenceEvent>(v1).write(e, encoder);
        encoder.flush();
        return new GenericDatumReader<GenericRecord>(v1, v2, GenericData.get())
                .read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
    }

    private static WindowStats single(List<WindowStats> stats) {
        assertEquals(1, stats.size(), stats.toString());
        return stats.get(0);
    }
}
