package dev.driftwatch.streams.drift;

import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.internals.BaselineLookup;
import dev.driftwatch.streams.internals.EventSummarizer;
import dev.driftwatch.streams.internals.TestBaselineLookups;
import dev.driftwatch.streams.internals.WindowBundle;
import dev.driftwatch.streams.internals.WindowStateStore;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The summarizing stage holds an event's numeric values back and adds them to their summaries many at a time
 * ({@link SubjectSlots}): every window it hands on, writes or shows must be bit for bit the one it gives adding each
 * value at once, whatever happens between (shapes that change, values missing, new subjects, commits, windows closing).
 */
class HeldValuesTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final Topics TOPICS = Topics.defaults(Map.of("schema.registry.url", "mock://held-values-test"));

    @Test
    void shouldGiveTheSameWindowsBitForBitAsAddingEachValueAtOnce() {
        List<Record<byte[], byte[]>> records = records(new Random(5), 4_000, 3 * MINUTE);
        List<String> direct = run(new DriftSignal(0), records, 37);
        assertSameWindows(direct, run(new DriftSignal(), records, 37));
        assertSameWindows(direct, run(new DriftSignal(1), records, 37)); // one window holds, the others at once
        // a commit after every event
        assertSameWindows(run(new DriftSignal(0), records, 1), run(new DriftSignal(), records, 1));
        assertFalse(direct.isEmpty());
    }

    private static void assertSameWindows(List<String> expected, List<String> actual) {
        assertEquals(expected.size(), actual.size(), "windows");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), "window " + i + " differs");
        }
    }

    @Test
    void shouldShowAReaderOfAnOpenWindowEveryValueAddedSoFar() {
        Harness h = new Harness(new DriftSignal());
        // fewer events than a window holds back, all in the first window
        List<Record<byte[], byte[]>> records = records(new Random(9), 10, MINUTE / 2);
        records.forEach(h.summarizer::process);
        long events = 0;
        long values = 0;
        for (WindowBundle b : h.windows.upTo("\uffff").values()) {
            events += b.events();
            values += b.subject("n0").count() + b.subject("n0").missing();
        }
        assertEquals(10, events);
        assertEquals(10, values);
    }

    /**
     * What the store held after each commit (a digest of its keys and bytes, so that a commit writing a window without
     * values still held would differ even though the values land later), every window handed on, then every window
     * still open, as bytes, committing every {@code commitEvery} events.
     */
    private static List<String> run(DriftSignal signal, List<Record<byte[], byte[]>> records, int commitEvery) {
        Harness h = new Harness(signal);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            h.summarizer.process(records.get(i));
            if (i % commitEvery == 0) {
                h.windows.flush();
                out.add("commit " + i + ": " + h.written());
            }
            h.context.forwarded().forEach(f -> {
                var partial = f.record().value().partial();
                if (partial != null && partial.bundle() != null) {
                    out.add(Base64.getEncoder().encodeToString(partial.bundle().toBytes()));
                }
            });
            h.context.resetForwards();
        }
        h.windows.upTo("\uffff").values().forEach(b -> out.add(Base64.getEncoder().encodeToString(b.toBytes())));
        return out;
    }

    /**
     * Events of three model versions, interleaved, over {@code span} ms (one-minute windows): numeric features n0..n4 with
     * baselines, n5 without, one that comes in the middle of a window and goes again, n2 absent from some events,
     * NaN and infinite values, a categorical feature and a score.
     */
    static List<Record<byte[], byte[]>> records(Random r, int n, long span) {
        Serializer<InferenceEvent> serializer = TOPICS.events().valueSerde().serializer();
        List<Record<byte[], byte[]>> records = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long time = T0 + i * span / n;
            Map<String, Double> numeric = new LinkedHashMap<>();
            for (int f = 0; f < 6; f++) {
                if (f == 2 && i % 11 == 5) {
                    continue;
                }
                double v = f * 10 + r.nextGaussian() * (1 + f);
                numeric.put("n" + f, i % 97 == 3 ? Double.NaN : i % 101 == 7 ? Double.POSITIVE_INFINITY : v);
            }
            if (i % 1000 > 400 && i % 1000 < 700) {
                numeric.put("later", r.nextDouble());
            }
            String version = Integer.toString(1 + i % 3);
            InferenceEvent e = InferenceEvent.newBuilder()
                    .setEventId("e" + i).setRequestId("r" + i).setModelId("m").setModelVersion(version)
                    .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(time))
                    .setNumericFeatures(numeric).setCategoricalFeatures(Map.of("c", "v" + r.nextInt(4)))
                    .setOutputs(ModelOutputs.newBuilder().setScore(r.nextDouble()).setLabel(null).setConfidence(null)
                            .build())
                    .setLatencyMs(null).setTokensIn(null).setTokensOut(null).setCost(null).setErrorCode(null)
                    .setSegment(Map.of())
                    .build();
            records.add(new Record<>(e.getRequestId().getBytes(StandardCharsets.UTF_8),
                    serializer.serialize(TOPICS.events().name(), e), time));
        }
        return records;
    }

    /** A summarizer with only the given drift signal, on in-memory stores, with baselines for n0..n4 of each version. */
    static final class Harness {
        final MockProcessorContext<String, EventSummarizer.Output> context = new MockProcessorContext<>();
        final KeyValueStore<Bytes, byte[]> written = Stores.inMemoryKeyValueStore(EventSummarizer.STORE).get();
        final WindowStateStore windows = WindowStateStore.unlogged(new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return written.name();
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return written;
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        });
        final EventSummarizer summarizer;

        Harness(DriftSignal signal) {
            TestBaselineLookups.publishNumeric(TestBaselineLookups.store(context), TOPICS.baselines(), List.of("1", "2", "3"));
            windows.init(context.getStateStoreContext(), windows);
            context.addStateStore(windows);
            summarizer = new EventSummarizer(PipelineSettings.defaults(Duration.ofMinutes(1)),
                    TOPICS.events().valueSerde().deserializer(), new BaselineLookup(TOPICS.baselines()),
                    List.of(signal));
            summarizer.init(context);
            context.setRecordMetadata(TOPICS.events().name(), 0, 0);
            context.setCurrentSystemTimeMs(T0 + 10 * MINUTE);
        }

        /** A digest of every key and value the window-state store has written so far. */
        String written() {
            MessageDigest digest;
            try {
                digest = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
            try (KeyValueIterator<Bytes, byte[]> it = written.all()) {
                while (it.hasNext()) {
                    KeyValue<Bytes, byte[]> kv = it.next();
                    digest.update(kv.key.get());
                    digest.update((byte) 0);
                    digest.update(kv.value);
                }
            }
            return Base64.getEncoder().encodeToString(digest.digest());
        }
    }
}
