package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.ByteSink;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.schemas.avro.DeploymentRole;
import dev.driftwatch.schemas.avro.InferenceEvent;
import dev.driftwatch.schemas.avro.ModelOutputs;
import dev.driftwatch.streams.ControlSettings;
import dev.driftwatch.streams.PipelineMetrics;
import dev.driftwatch.streams.PipelineSettings;
import dev.driftwatch.streams.Topics;
import dev.driftwatch.streams.drift.DriftSignal;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A partial names the grids that the same task's partial of the window before carried, instead of sending them again
 * (format 7): the merging side reads the same windows, a task initialised again sends every grid, and a named grid
 * the reading process does not hold is found in the merging store (restored) or, found nowhere, counted.
 */
class PartialGridNamesTest {
    private static final long MINUTE = 60_000;
    private static final long T0 = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    private static final Topics TOPICS = Topics.defaults(Map.of("schema.registry.url", "mock://partial-names-test"));
    private final Serde<Partial> serde = Partial.serde(WindowParts.none());

    /** The summarizing stage of one input partition, with baselines for n0..n4 of versions 1 and 2. */
    private static final class Summarizing {
        final MockProcessorContext<String, EventSummarizer.Output> context = new MockProcessorContext<>();
        final EventSummarizer summarizer;

        Summarizing() {
            TestBaselineLookups.publishNumeric(TestBaselineLookups.store(context), TOPICS.baselines(), List.of("1", "2"));
            WindowStateStore windows = WindowStateStore.unlogged(Stores.inMemoryKeyValueStore(EventSummarizer.STORE));
            windows.init(context.getStateStoreContext(), windows);
            context.addStateStore(windows);
            summarizer = new EventSummarizer(PipelineSettings.defaults(Duration.ofMinutes(1)),
                    TOPICS.events().valueSerde().deserializer(), new BaselineLookup(TOPICS.baselines()),
                    List.of(new DriftSignal()));
            summarizer.init(context);
            context.setRecordMetadata(TOPICS.events().name(), 0, 0);
            context.setCurrentSystemTimeMs(T0 + 10 * MINUTE);
        }

        /** Events from {@code from} for {@code minutes}, both versions; gives the partials of windows it closed. */
        List<Partial> events(long from, int minutes, long seed) {
            Random r = new Random(seed);
            Serializer<InferenceEvent> serializer = TOPICS.events().valueSerde().serializer();
            int n = 200 * minutes;
            for (int i = 0; i < n; i++) {
                long time = from + i * (minutes * MINUTE) / n;
                Map<String, Double> numeric = new LinkedHashMap<>();
                for (int f = 0; f < 5; f++) {
                    numeric.put("n" + f, f * 10 + r.nextGaussian() * (1 + f));
                }
                InferenceEvent e = InferenceEvent.newBuilder()
                        .setEventId("e" + i).setRequestId("r" + i).setModelId("m").setModelVersion(1 + i % 2 + "")
                        .setRole(DeploymentRole.PRIMARY).setEventTime(Instant.ofEpochMilli(time))
                        .setNumericFeatures(numeric).setCategoricalFeatures(Map.of("c", "v" + r.nextInt(4)))
                        .setOutputs(ModelOutputs.newBuilder().setScore(r.nextDouble()).setLabel(null)
                                .setConfidence(null).build())
                        .setLatencyMs(null).setTokensIn(null).setTokensOut(null).setCost(null).setErrorCode(null)
                        .setSegment(Map.of())
                        .build();
                summarizer.process(new Record<>(e.getRequestId().getBytes(StandardCharsets.UTF_8),
                        serializer.serialize(TOPICS.events().name(), e), time));
            }
            List<Partial> partials = new ArrayList<>();
            for (var f : context.forwarded()) {
                Partial p = f.record().value().partial();
                if (p != null && !p.isWatermark()) {
                    partials.add(p);
                }
            }
            context.resetForwards();
            return partials;
        }
    }

    private static int gridsInline(byte[] sent, WindowBundle b) {
        int n = 0;
        for (long fingerprint : b.gridFingerprints()) {
            NumericGrid grid = null;
            for (SubjectSummary s : b.subjects().values()) {
                if (s.kind() == SubjectSummary.Kind.NUMERIC && s.numericSummary().grid().fingerprint() == fingerprint) {
                    grid = s.numericSummary().grid();
                }
            }
            byte[] compact = CompactGrids.toBytes(grid);
            for (int at = 0; at + compact.length <= sent.length; at++) {
                if (java.util.Arrays.equals(sent, at, at + compact.length, compact, 0, compact.length)) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    @Test
    void shouldNameTheGridsItsPartialOfTheWindowBeforeCarriedAndGiveTheSameWindows() {
        Summarizing s = new Summarizing();
        List<Partial> first = s.events(T0, 2, 1); // closes the first minute's windows
        List<Partial> later = s.events(T0 + 2 * MINUTE, 3, 2);
        assertEquals(2, first.size(), "a partial per version");
        assertTrue(later.size() >= 4, later.size() + " partials");
        for (Partial p : first) {
            byte[] sent = serde.serializer().serialize("partials", p);
            assertEquals(5, gridsInline(sent, p.bundle()), "the first partial of a task carries its grids");
            assertArrayEquals(p.bundle().toBytes(), serde.deserializer().deserialize("partials", sent).bundle()
                    .toBytes());
        }
        for (Partial p : later) {
            byte[] sent = serde.serializer().serialize("partials", p);
            assertEquals(5, p.bundle().gridFingerprints().size());
            assertEquals(0, gridsInline(sent, p.bundle()), "the grids of the window before are named");
            assertTrue(sent.length < 0.4 * serde.serializer().serialize("partials", Partial.bundle(0, 1, p.bundle()))
                    .length, "a fraction of the self-contained partial");
            Partial back = serde.deserializer().deserialize("partials", sent);
            assertFalse(back.bundle().hasUnresolvedGrids(), "this process holds the grids");
            assertArrayEquals(p.bundle().toBytes(), back.bundle().toBytes());
        }
    }

    @Test
    void shouldSendEveryGridAgainOnceInitialisedAgain() {
        Summarizing s = new Summarizing();
        s.events(T0, 2, 1);
        s.summarizer.init(s.context); // a task revived, or started on another instance
        List<Partial> again = s.events(T0 + 2 * MINUTE, 1, 2);
        assertEquals(2, again.size());
        for (Partial p : again) {
            assertEquals(Set.of(), p.namedGrids());
            assertEquals(5, gridsInline(serde.serializer().serialize("partials", p), p.bundle()));
        }
    }

    @Test
    void shouldNotNameTheGridsOfAPartialWhenItsModelVersionSentNoneInTheWindowBefore() {
        Summarizing s = new Summarizing();
        s.events(T0, 2, 1); // windows of minutes 0 and 1 open, minute 0 closed
        // Nothing for three minutes: the next partials are of minute 4's window, whose window before sent nothing.
        List<Partial> after = s.events(T0 + 4 * MINUTE, 2, 2);
        for (Partial p : after) {
            if (p.bundle().windowEnd() == T0 + 5 * MINUTE) {
                assertEquals(Set.of(), p.namedGrids(), "no partial of the window just before");
            }
        }
    }

    /** A partial as the release before sent it (format 5, every grid inline), still on the topic at an upgrade. */
    private static byte[] partialOfVersion5(WindowBundle b) throws java.io.IOException {
        ByteSink buffer = ByteStreams.output(1024);
        java.io.DataOutput out = buffer;
        out.writeByte(0); // a bundle
        out.writeInt(1);
        out.writeInt(2);
        out.writeByte(5);
        out.writeUTF(b.modelId());
        out.writeUTF(b.modelVersion());
        out.writeUTF(b.segment());
        out.writeLong(b.windowStart());
        out.writeLong(b.windowEnd());
        dev.driftwatch.detectors.summary.Varint.write(out, b.events());
        dev.driftwatch.detectors.summary.Varint.write(out, b.lateEvents());
        List<NumericGrid> grids = new ArrayList<>();
        for (SubjectSummary s : b.subjects().values()) {
            if (s.kind() == SubjectSummary.Kind.NUMERIC && !grids.contains(s.numericSummary().grid())) {
                grids.add(s.numericSummary().grid());
            }
        }
        dev.driftwatch.detectors.summary.Varint.write(out, grids.size());
        for (NumericGrid g : grids) {
            CompactGrids.write(out, g);
        }
        dev.driftwatch.detectors.summary.Varint.write(out, b.subjects().size());
        for (Map.Entry<String, SubjectSummary> e : b.subjects().entrySet()) {
            out.writeUTF(e.getKey());
            e.getValue().writePartial(out, grids::indexOf);
        }
        out.writeInt(0); // no parts
        return buffer.toByteArray();
    }

    @Test
    void shouldReadPartialsOfFormat5() throws java.io.IOException {
        WindowBundle b = window(baseline(7), MINUTE, 3);
        Partial back = serde.deserializer().deserialize("partials", partialOfVersion5(b));
        assertEquals(1, back.sourcePartition());
        assertEquals(2, back.sourcePartitions());
        assertArrayEquals(b.toBytes(), back.bundle().toBytes());
    }

    // The merging side: a named grid not held by the reading process.

    private static NumericBaseline baseline(long seed) {
        Random r = new Random(seed);
        double[] reference = new double[5000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = 3 + r.nextGaussian();
        }
        return NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null);
    }

    private static WindowBundle window(NumericBaseline x, long end, long seed) {
        return window(x, end, seed, 200);
    }

    private static WindowBundle window(NumericBaseline x, long end, long seed, int values) {
        Random r = new Random(seed);
        WindowBundle b = new WindowBundle("m", "v1", "*", end - MINUTE, end);
        SubjectSummary sx = SubjectSummary.numeric(x.id(), x.newWindow());
        SubjectSummary k = SubjectSummary.categorical(null, new dev.driftwatch.detectors.summary.CategoricalSummary());
        for (int i = 0; i < values; i++) {
            b.countEvent();
            sx.add(3 + r.nextGaussian());
            k.add(i % 3 == 0 ? "red" : "blue");
        }
        b.put("x", sx);
        b.put("k", k);
        return b;
    }

    private final class Merging {
        final MockProcessorContext<String, WindowEvaluator.Output> context = new MockProcessorContext<>();
        final WindowStateStore windows;
        final WindowEvaluator evaluator;

        Merging(KeyValueStore<Bytes, byte[]> inner, PipelineMetrics metrics) {
            windows = WindowStateStore.unlogged(WindowStateJournalTest.supplier(WindowEvaluator.WINDOWS_STORE, inner),
                    WindowParts.none());
            windows.init(context.getStateStoreContext(), windows);
            context.addStateStore(windows);
            store(WindowEvaluator.WATERMARKS_STORE, Serdes.Long());
            store(WindowEvaluator.MUTES_STORE, Serdes.Long());
            for (String name : List.of(WindowEvaluator.ALERTS_STORE, WindowEvaluator.POLICIES_STORE,
                    WindowEvaluator.COMMAND_LOG_STORE, WindowEvaluator.RETAINED_WINDOWS_STORE,
                    WindowEvaluator.ALERT_LOG_STORE)) {
                store(name, Serdes.ByteArray());
            }
            TestBaselineLookups.store(context);
            evaluator = new WindowEvaluator(PipelineSettings.defaults(Duration.ofMinutes(1)).withMetrics(metrics),
                    new BaselineLookup(TOPICS.baselines()), ControlSettings.defaults(), List.of());
            evaluator.init(context);
        }

        private <V> void store(String name, Serde<V> values) {
            KeyValueStore<String, V> store = Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name),
                    Serdes.String(), values).withLoggingDisabled().build();
            store.init(context.getStateStoreContext(), store);
            context.addStateStore(store);
        }

        void process(Partial p) {
            evaluator.process(new Record<>("m/v1/*", p, 0L));
        }

        WindowBundle open(long end) {
            return windows.get(WindowKeys.window(end, "m", "v1", "*"));
        }
    }

    /**
     * The merging task reads the first partial (grid inline), evaluates its window and commits; it is then restored
     * (a restart, or another instance) and reads the next partial, which names the grid, before its store is loaded.
     * Gives that partial's bytes; {@code expected[0]} the second window's bytes, {@code changelog} what the store
     * wrote (for a store restored from it).
     */
    private byte[] mergedThenRestored(long seed, List<KeyValue<Bytes, byte[]>> changelog, byte[][] expected,
                                      long[] fingerprint) {
        NumericBaseline x = baseline(seed);
        fingerprint[0] = x.grid().fingerprint();
        KeyValueStore<Bytes, byte[]> inner = Stores.inMemoryKeyValueStore(WindowEvaluator.WINDOWS_STORE).get();
        Merging before = new Merging(inner, PipelineMetrics.NONE);
        before.process(serde.deserializer().deserialize("partials",
                serde.serializer().serialize("partials", Partial.bundle(0, 1, window(x, MINUTE, 1)))));
        before.process(Partial.watermark(0, 1, MINUTE));
        assertNull(before.open(MINUTE), "evaluated");
        before.windows.flushCache(); // the commit
        try (KeyValueIterator<Bytes, byte[]> it = inner.all()) {
            it.forEachRemaining(changelog::add);
        }
        WindowBundle second = window(x, 2 * MINUTE, 2);
        expected[0] = second.toBytes();
        return serde.serializer().serialize("partials",
                Partial.bundle(0, 1, second, Set.of(x.grid().fingerprint())));
    }

    private static void forget(long fingerprint) {
        Grids.forgetForTests(fingerprint);
        assertNull(Grids.known(fingerprint));
    }

    @Test
    void shouldFindANamedGridThatTheRestoredMergingStoreHolds() {
        List<KeyValue<Bytes, byte[]>> changelog = new ArrayList<>();
        byte[][] expected = new byte[1][];
        long[] fingerprint = new long[1];
        byte[] sent = mergedThenRestored(2026_12_05L, changelog, expected, fingerprint);
        assertTrue(changelog.stream().anyMatch(kv -> new String(kv.key.get(), StandardCharsets.UTF_8)
                .startsWith("~grid")), "the grid of a window never written is written");
        forget(fingerprint[0]);

        Partial read = serde.deserializer().deserialize("partials", sent);
        assertTrue(read.bundle().hasUnresolvedGrids(), "the process holds the grid no more");
        AtomicLong missing = new AtomicLong();
        KeyValueStore<Bytes, byte[]> restored = Stores.inMemoryKeyValueStore(WindowEvaluator.WINDOWS_STORE).get();
        Merging after = new Merging(restored, counting(missing));
        changelog.forEach(kv -> restored.put(kv.key, kv.value));
        after.process(read);
        assertNotNull(after.open(2 * MINUTE));
        assertArrayEquals(expected[0], after.open(2 * MINUTE).toBytes());
        assertEquals(0, missing.get());
    }

    @Test
    void shouldCountAndLeaveOutASubjectWhoseNamedGridIsFoundNowhere() {
        byte[][] expected = new byte[1][];
        long[] fingerprint = new long[1];
        // The first partial went to another store (lost to this one): nothing here holds the grid.
        byte[] sent = mergedThenRestored(2026_12_06L, new ArrayList<>(), expected, fingerprint);
        forget(fingerprint[0]);

        AtomicLong missing = new AtomicLong();
        Merging merging = new Merging(Stores.inMemoryKeyValueStore(WindowEvaluator.WINDOWS_STORE).get(),
                counting(missing));
        merging.process(serde.deserializer().deserialize("partials", sent));
        assertEquals(1, missing.get(), "counted");
        WindowBundle open = merging.open(2 * MINUTE);
        assertEquals(Set.of("k"), open.subjects().keySet(), "the subject without its grid is left out, not guessed");
        assertEquals(200, open.events());
    }

    @Test
    void shouldHoldTheGridOfAPartialWhoseSubjectTheMergedWindowKeptOnAnotherGrid() {
        // Input partition 0 summarises x on the old baseline, partition 1 (more values) on its replacement: the
        // merged window keeps partition 1's side. Partition 0's next partial names the old grid all the same.
        NumericBaseline old = baseline(2026_12_07L);
        NumericBaseline replacement = baseline(2026_12_08L);
        KeyValueStore<Bytes, byte[]> inner = Stores.inMemoryKeyValueStore(WindowEvaluator.WINDOWS_STORE).get();
        AtomicLong missing = new AtomicLong();
        Merging merging = new Merging(inner, counting(missing));
        merging.process(serde.deserializer().deserialize("partials",
                serde.serializer().serialize("partials", Partial.bundle(0, 2, window(old, MINUTE, 1, 100)))));
        merging.process(serde.deserializer().deserialize("partials",
                serde.serializer().serialize("partials", Partial.bundle(1, 2, window(replacement, MINUTE, 2, 400)))));
        assertEquals(replacement.grid().fingerprint(), merging.open(MINUTE).subjects().get("x").numericSummary()
                .grid().fingerprint(), "the side with more values");
        merging.process(Partial.watermark(0, 2, MINUTE));
        merging.process(Partial.watermark(1, 2, MINUTE));
        assertNull(merging.open(MINUTE), "evaluated");
        merging.windows.flushCache(); // the commit

        WindowBundle next = window(old, 2 * MINUTE, 3, 100);
        byte[] sent = serde.serializer().serialize("partials", Partial.bundle(0, 2, next,
                Set.of(old.grid().fingerprint())));
        forget(old.grid().fingerprint());
        Partial read = serde.deserializer().deserialize("partials", sent);
        assertTrue(read.bundle().hasUnresolvedGrids(), "the process holds the old grid no more");
        merging.process(read);
        assertEquals(0, missing.get(), "the merging store holds the grid the merged window left out");
        assertArrayEquals(next.toBytes(), merging.open(2 * MINUTE).toBytes());
    }

    private static PipelineMetrics counting(AtomicLong missing) {
        return new PipelineMetrics() {
            @Override
            public void partialGridMissing(String model, String version, long subjects) {
                missing.addAndGet(subjects);
            }
        };
    }
}
