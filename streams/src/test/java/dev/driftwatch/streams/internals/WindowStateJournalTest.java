package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.InMemoryKeyValueStore;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The window-state store writes what changed since the last commit, not the whole window: bytes per flush
 * follow the changed cells, and a store restored from what it wrote (base and patches) holds the live
 * windows bit for bit, also from state an earlier release wrote whole, and a closed window leaves nothing.
 * The inner store gets exactly what the changelog gets, so its writes are counted here.
 */
class WindowStateJournalTest {
    private static final String KEY = WindowKeys.window(120_000, "m", "v1", "*");
    private static final int NUMERIC = 40;
    private static final int CATEGORICAL = 10;
    private static final String[] CATEGORIES = {"us", "de", "fr", "gb", "in", "br", "jp", "it"};

    /** An in-memory store that records the records written to it (what its changelog would get). */
    static final class RecordingStore extends InMemoryKeyValueStore {
        final List<KeyValue<String, Integer>> writes = new ArrayList<>();
        final Set<String> everPut = new HashSet<>();

        RecordingStore() {
            super("window-state");
        }

        @Override
        public synchronized void put(Bytes key, byte[] value) {
            String k = new String(key.get(), StandardCharsets.UTF_8);
            writes.add(KeyValue.pair(k, value == null ? -1 : value.length));
            if (value != null) {
                everPut.add(k);
            }
            super.put(key, value);
        }

        @Override
        public synchronized byte[] delete(Bytes key) {
            writes.add(KeyValue.pair(new String(key.get(), StandardCharsets.UTF_8), -1));
            return super.delete(key);
        }

        long bytesWritten() {
            return writes.stream().mapToLong(w -> w.key.length() + Math.max(0, w.value)).sum();
        }

        Map<String, byte[]> contents() {
            Map<String, byte[]> all = new LinkedHashMap<>();
            try (KeyValueIterator<Bytes, byte[]> it = all()) {
                it.forEachRemaining(kv -> all.put(new String(kv.key.get(), StandardCharsets.UTF_8), kv.value));
            }
            return all;
        }
    }

    /** A store over the given inner store, initialised (shared with {@link CompactWindowStateTest}). */
    static WindowStateStore store(KeyValueStore<Bytes, byte[]> inner) {
        WindowStateStore store = WindowStateStore.unlogged(supplier("window-state", inner),
                WindowParts.ofReaders(Map.of(CounterPart.NAME, CounterPart::read)));
        store.init(new MockProcessorContext<>().getStateStoreContext(), store);
        return store;
    }

    /** A store and the store it writes to. */
    private record Restored(WindowStateStore store, RecordingStore inner) {
    }

    /** A store restored from a copy of what another store's changelog holds (as after a crash). */
    private static Restored restore(RecordingStore changelog) {
        RecordingStore copy = new RecordingStore();
        WindowStateStore store = store(copy);
        changelog.contents().forEach((k, v) -> copy.put(Bytes.wrap(k.getBytes(StandardCharsets.UTF_8)), v));
        copy.writes.clear();
        copy.everPut.clear();
        return new Restored(store, copy);
    }

    private static WindowStateStore restoredFrom(RecordingStore changelog) {
        return restore(changelog).store();
    }

    /** A part of counters, like a data-quality part: an event changes one or two of its bytes, now and then its length. */
    private static final class CounterPart implements WindowPart {
        static final String NAME = "counters";
        long[] counts;

        CounterPart(int n) {
            counts = new long[n];
        }

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public WindowPart merge(WindowPart other) {
            long[] o = ((CounterPart) other).counts;
            if (o.length > counts.length) {
                counts = java.util.Arrays.copyOf(counts, o.length);
            }
            for (int i = 0; i < o.length; i++) {
                counts[i] += o[i];
            }
            return this;
        }

        @Override
        public void write(java.io.DataOutput out) throws IOException {
            out.writeInt(counts.length);
            for (long c : counts) {
                out.writeLong(c);
            }
        }

        static CounterPart read(java.io.DataInputStream in) throws IOException {
            CounterPart p = new CounterPart(in.readInt());
            for (int i = 0; i < p.counts.length; i++) {
                p.counts[i] = in.readLong();
            }
            return p;
        }
    }

    private static final class Traffic {
        final Random r = new Random(7);
        final List<NumericBaseline> baselines = new ArrayList<>();

        Traffic() {
            for (int b = 0; b < 4; b++) {
                double[] reference = new double[5000];
                for (int i = 0; i < reference.length; i++) {
                    reference[i] = b == 3 && i % 10 == 0 ? Math.round(r.nextGaussian() * 4) / 4.0
                            : b * 10 + r.nextGaussian() * (b + 1);
                }
                baselines.add(NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "b" + b,
                        null, null));
            }
        }

        WindowBundle window() {
            WindowBundle w = windowWithoutParts();
            w.putPart(new CounterPart(50));
            return w;
        }

        WindowBundle windowWithoutParts() {
            WindowBundle w = new WindowBundle("m", "v1", "*", 60_000, 120_000);
            for (int f = 0; f < NUMERIC; f++) {
                NumericBaseline b = baselines.get(f % baselines.size());
                w.put("n" + f, SubjectSummary.numeric(b.id(), b.newWindow()));
            }
            for (int f = 0; f < CATEGORICAL; f++) {
                w.put("c" + f, SubjectSummary.categorical(null, new CategoricalSummary(5)));
            }
            w.put("z", SubjectSummary.numericWithoutBaseline());
            return w;
        }

        void events(WindowBundle w, int n) {
            for (int i = 0; i < n; i++) {
                event(w);
            }
        }

        void event(WindowBundle w) {
            w.countEvent();
            CounterPart part = (CounterPart) w.part(CounterPart.NAME);
            if (part != null && r.nextInt(300) == 0) {
                part.counts = java.util.Arrays.copyOf(part.counts, part.counts.length + 1);
            }
            if (part != null) {
                part.counts[r.nextInt(part.counts.length)] += 1 + r.nextInt(1000);
            }
            for (Map.Entry<String, SubjectSummary> e : w.subjects().entrySet()) {
                SubjectSummary s = e.getValue();
                if (r.nextInt(50) == 0) {
                    s.addMissing();
                } else if (s.kind() == SubjectSummary.Kind.CATEGORICAL) {
                    s.add(CATEGORIES[Math.min(CATEGORIES.length - 1, (int) Math.abs(r.nextGaussian() * 3))]);
                } else {
                    int f = e.getKey().equals("z") ? 0 : Integer.parseInt(e.getKey().substring(1));
                    int b = f % 4;
                    s.add(b == 3 && r.nextInt(10) == 0 ? Math.round(r.nextGaussian() * 4) / 4.0
                            : b * 10 + r.nextGaussian() * (b + 1) * 1.3);
                }
            }
        }
    }

    /** Every statistic, bit for bit: the self-contained form holds every field of every subject and part. */
    private static void assertSameWindow(WindowBundle expected, WindowBundle actual) {
        assertNotNull(actual);
        assertArrayEquals(expected.toBytes(), actual.toBytes());
        assertEquals(expected.subjects().keySet(), actual.subjects().keySet());
        expected.subjects().forEach((name, e) -> {
            SubjectSummary a = actual.subject(name);
            assertEquals(e.count(), a.count(), name);
            assertEquals(e.missing(), a.missing(), name);
            switch (e.kind()) {
                case NUMERIC -> {
                    assertArrayEquals(e.numericSummary().toBytes(), a.numericSummary().toBytes(), name);
                    assertEquals(e.numericSummary().populationStd(), a.numericSummary().populationStd(), 0.0, name);
                    assertArrayEquals(e.numericSummary().binCounts(), a.numericSummary().binCounts(), name);
                }
                case CATEGORICAL -> assertEquals(e.categoricalSummary().counts(), a.categoricalSummary().counts(), name);
                default -> { }
            }
        });
    }

    @Test
    void shouldRestoreTheLiveWindowExactlyAfterManyFlushesWithFewEventsBetween() {
        Traffic t = new Traffic();
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = store(inner);
        WindowBundle live = t.window();
        for (int flush = 1; flush <= 400; flush++) {
            int events = 1 + t.r.nextInt(3);
            for (int i = 0; i < events; i++) {
                t.event(live);
            }
            if (flush == 120) {
                // A subject that appears after the base is written whole inside a patch.
                SubjectSummary late = SubjectSummary.numeric(t.baselines.get(1).id(), t.baselines.get(1).newWindow());
                late.add(11.5);
                live.put("n99", late);
            }
            if (flush == 200) {
                // The merging stage: another partition's part of the window merged into the stored one.
                WindowBundle other = t.window();
                for (int i = 0; i < 30; i++) {
                    t.event(other);
                }
                live.merge(other);
            }
            if (flush % 40 != 13) { // now and then changes wait for the next put
                store.put(KEY, live);
            }
            store.flushCache();
            if (flush % 40 == 0) {
                Restored restored = restore(inner);
                assertSameWindow(live, restored.store().get(KEY));
                if (flush == 240) {
                    // Carry on from the restored store (as after a crash): its next records restore too.
                    store = restored.store();
                    live = store.get(KEY);
                    inner = restored.inner();
                }
            }
        }
        assertSameWindow(live, restoredFrom(inner).get(KEY));
    }

    @Test
    void shouldWriteTheChangedCellsAtAFlushNotTheWholeWindow() {
        Traffic t = new Traffic();
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = store(inner);
        WindowBundle live = t.window();
        t.events(live, 5000);
        store.put(KEY, live);
        store.flushCache();
        long whole = inner.bytesWritten();
        int subjects = live.subjects().size();
        long written = 0;
        for (int flush = 0; flush < 50; flush++) {
            inner.writes.clear();
            t.event(live);
            store.put(KEY, live);
            store.flushCache();
            // One event changes one cell of each numeric subject and one category of each categorical one:
            // the patch holds those and each subject's small fields (about 60 bytes a subject), not the window.
            assertTrue(inner.bytesWritten() <= 80L * subjects + 200,
                    "flush " + flush + " wrote " + inner.bytesWritten() + " bytes for one event; the window is " + whole);
            written += inner.bytesWritten();
        }
        assertTrue(written < whole, written + " bytes for 50 flushes of one event each, the window is " + whole);
        assertSameWindow(live, restoredFrom(inner).get(KEY));
        // Many events between two flushes: no more than the window whole (a new base).
        inner.writes.clear();
        for (int i = 0; i < 3000; i++) {
            t.event(live);
        }
        store.put(KEY, live);
        store.flushCache();
        assertTrue(inner.bytesWritten() <= whole + 4096, inner.bytesWritten() + " vs " + whole);
        assertSameWindow(live, restoredFrom(inner).get(KEY));
    }

    @Test
    void shouldRestoreWindowsThePreviousReleasesWroteWholeAndPatchThem() throws IOException {
        for (String form : List.of("window.bin", "window-grids-apart.bin")) {
            RecordingStore inner = new RecordingStore();
            WindowStateStore store = store(inner);
            inner.put(Bytes.wrap(KEY.getBytes(StandardCharsets.UTF_8)),
                    Files.readAllBytes(OldWindowStateFixture.DIR.resolve(form)));
            try (var files = Files.list(OldWindowStateFixture.DIR)) {
                for (var f : files.filter(p -> p.getFileName().toString().startsWith("grid-")).toList()) {
                    NumericGrid grid = SubjectSummary.gridFromBytes(Files.readAllBytes(f));
                    inner.put(Bytes.wrap(("~grid/" + Long.toHexString(grid.fingerprint())).getBytes(StandardCharsets.UTF_8)),
                            SubjectSummary.gridToBytes(grid));
                }
            }
            WindowBundle expected = OldWindowStateFixture.window();
            WindowBundle restored = store.get(KEY);
            assertSameWindow(expected, restored);
            for (int flush = 0; flush < 20; flush++) {
                for (WindowBundle w : List.of(expected, restored)) {
                    Random same = new Random(flush);
                    w.countEvent();
                    w.subject("x").add(Math.exp(same.nextGaussian()));
                    w.subject("y").add(-50 + 100 * same.nextDouble());
                    w.subject("k").add(flush % 3 == 0 ? "green" : "red");
                    w.subject("z").add(same.nextDouble());
                }
                store.put(KEY, restored);
                store.flushCache();
                assertSameWindow(expected, restoredFrom(inner).get(KEY));
            }
        }
    }

    @Test
    void shouldDeleteEverythingItWroteOfAWindowButItsGridsWhenItCloses() {
        Traffic t = new Traffic();
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = store(inner);
        WindowBundle live = t.window();
        for (int flush = 0; flush < 200; flush++) {
            for (int i = 0; i < (flush % 50 == 49 ? 400 : 1); i++) {
                t.event(live); // now and then many events: a new base, and the earlier patches' slots go stale
            }
            store.put(KEY, live);
            store.flushCache();
        }
        assertTrue(inner.contents().keySet().stream().filter(k -> k.startsWith("~patch/")).count() > 1,
                inner.contents().keySet().toString());
        // A window opened and closed between two commits writes nothing, not even a tombstone.
        String brief = WindowKeys.window(180_000, "m", "v1", "*");
        store.put(brief, t.window());
        store.delete(brief);
        inner.writes.clear();
        store.delete(KEY);
        store.flushCache();
        // The grids stay for the next windows on their baselines (WindowStateGridsTest).
        assertEquals(Set.of(), inner.contents().keySet().stream().filter(k -> !isMeta(k) && !k.startsWith("~grid"))
                .collect(java.util.stream.Collectors.toSet()));
        for (KeyValue<String, Integer> w : inner.writes) {
            if (isMeta(w.key)) {
                continue; // the store's times and latest closed ends, rewritten as they change
            }
            assertEquals(-1, w.value, w.key + " written at close");
            assertTrue(inner.everPut.contains(w.key), "tombstone for " + w.key + ", which was never written");
        }
        assertEquals(0, restoredFrom(inner).openWindows());
    }

    @Test
    void shouldKeepTheGridsItsRecordsReferToWhenTheMergingStageReplacesASubjectOnAnotherBaseline() {
        Traffic t = new Traffic();
        NumericBaseline first = t.baselines.get(0);
        NumericBaseline second = t.baselines.get(1);
        assertNotEquals(first.grid().fingerprint(), second.grid().fingerprint());
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = store(inner);
        String older = WindowKeys.window(60_000, "m", "v1", "*");
        WindowBundle early = new WindowBundle("m", "v1", "*", 0, 60_000);
        early.put("n0", SubjectSummary.numeric(first.id(), first.newWindow()));
        early.subject("n0").add(1.0);
        WindowBundle live = t.window();
        t.event(live);
        store.put(older, early);
        store.put(KEY, live);
        store.flushCache();
        // A partial on a replaced baseline with more values wins the merge (SubjectSummary.merge returns it): every
        // subject of the first baseline in this window is now on the second one's grid.
        for (String name : List.copyOf(live.subjects().keySet())) {
            SubjectSummary s = live.subject(name);
            if (s.kind() == SubjectSummary.Kind.NUMERIC && s.numericSummary().grid().fingerprint()
                    == first.grid().fingerprint()) {
                SubjectSummary replaced = SubjectSummary.numeric(second.id(), second.newWindow());
                replaced.add(3.0);
                replaced.add(4.0);
                live.put(name, replaced);
            }
        }
        store.put(KEY, live);
        store.delete(older); // the last other window on the first baseline's grid closes: that grid is unused now
        store.flushCache();
        assertSameWindow(live, restoredFrom(inner).get(KEY));
    }

    @Test
    void shouldGoOnFromTheLastPatchInOrderWhenALaterOneIsMissingAndWriteABaseAtTheNextChange() {
        Traffic t = new Traffic();
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = store(inner);
        WindowBundle live = t.window();
        eventThenFlush(t, store, live); // the base
        eventThenFlush(t, store, live); // patch in slot 0
        byte[] asOfFirstPatch = live.toBytes();
        eventThenFlush(t, store, live); // patch in slot 1
        eventThenFlush(t, store, live); // patch in slot 2
        // at_least_once can lose a changelog record: without slot 1, slot 2 cannot be applied.
        inner.delete(Bytes.wrap(("~patch/" + KEY + "/1").getBytes(StandardCharsets.UTF_8)));
        Restored restored = restore(inner);
        assertArrayEquals(asOfFirstPatch, restored.store().get(KEY).toBytes());
        WindowBundle again = restored.store().get(KEY);
        eventThenFlush(t, restored.store(), again);
        assertTrue(restored.inner().writes.stream().anyMatch(w -> w.key.equals(KEY)),
                "the next change should be written as a base: " + restored.inner().writes);
        assertSameWindow(again, restoredFrom(restored.inner()).get(KEY));
    }

    @Test
    void shouldWriteAPatchInFewerBytesThanTheEarlierFormOfTheSameChanges() throws IOException {
        // Few events between flushes (at 100 events per version and window, a subject changes by a value or two
        // from one commit to the next): a subject's name gives way to its place (a byte); 82 % of the bytes.
        long[] few = patchBytes(2);
        assertTrue(few[0] <= few[1] * 88 / 100, few[0] + " bytes of patches, " + few[1] + " in the earlier form");
        // Many: the cells weigh most, each changed open cell's sum in about 6 bytes instead of 8; 84 %.
        long[] many = patchBytes(20);
        assertTrue(many[0] <= many[1] * 88 / 100, many[0] + " bytes of patches, " + many[1] + " in the earlier form");
    }

    /**
     * The bytes of the patches the store writes over 30 flushes of {@code events} events each after a base of 2,000,
     * and of the same changes in the earlier form; the window restored from what it wrote is checked.
     */
    private static long[] patchBytes(int events) throws IOException {
        Traffic t = new Traffic();
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = store(inner);
        WindowBundle live = t.windowWithoutParts();
        t.events(live, 2000);
        store.put(KEY, live);
        store.flushCache();
        long patches = 0;
        long earlierForm = 0;
        for (int flush = 0; flush < 30; flush++) {
            t.events(live, events);
            ByteArrayOutputStream earlier = new ByteArrayOutputStream();
            live.writeChanges(new DataOutputStream(earlier), new HashMap<>());
            inner.writes.clear();
            store.put(KEY, live);
            store.flushCache();
            long patch = inner.writes.stream().filter(w -> w.key.startsWith("~patch/")).mapToLong(w -> w.value).sum();
            if (patch > 0) { // not a flush that wrote a new base
                patches += patch;
                earlierForm += 9 + earlier.size();
            }
        }
        assertTrue(earlierForm > 0, "no flush wrote a patch");
        assertSameWindow(live, restoredFrom(inner).get(KEY));
        return new long[] {patches, earlierForm};
    }

    @Test
    void shouldRestorePatchesOfTheEarlierFormAndGoOnWithTheNewOne() throws IOException {
        Traffic t = new Traffic();
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = store(inner);
        WindowBundle live = t.window();
        t.events(live, 300);
        store.put(KEY, live);
        store.flushCache(); // the base, number 1
        // Patches as the previous release wrote them: kind 5, numbers 2.., the changes with the subjects' names.
        Map<String, byte[]> partBlobs = new HashMap<>();
        for (int slot = 0; slot < 4; slot++) {
            t.events(live, 1 + slot);
            ByteArrayOutputStream patch = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(patch);
            out.writeByte(5);
            out.writeLong(2 + slot);
            live.writeChanges(out, partBlobs);
            live.markJournaled();
            inner.put(Bytes.wrap(("~patch/" + KEY + "/" + slot).getBytes(StandardCharsets.UTF_8)), patch.toByteArray());
        }
        Restored restored = restore(inner);
        WindowBundle again = restored.store().get(KEY);
        assertSameWindow(live, again);
        for (int flush = 0; flush < 3; flush++) {
            eventThenFlush(t, restored.store(), again);
        }
        assertTrue(restored.inner().writes.stream().noneMatch(w -> w.key.equals(KEY)),
                "the changes go into patches after the earlier ones: " + restored.inner().writes);
        assertSameWindow(again, restoredFrom(restored.inner()).get(KEY));
    }

    /** One event of the traffic into the window, then a commit's flush. */
    private static void eventThenFlush(Traffic t, WindowStateStore store, WindowBundle window) {
        t.event(window);
        store.put(KEY, window);
        store.flushCache();
    }

    private static boolean isMeta(String key) {
        return key.startsWith("~stream") || key.startsWith("~watermark") || key.startsWith("~closed-ends");
    }

    /** A supplier of the store {@code inner} under {@code name} (shared with {@link PartialGridNamesTest}). */
    static KeyValueBytesStoreSupplier supplier(String name, KeyValueStore<Bytes, byte[]> inner) {
        return new KeyValueBytesStoreSupplier() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KeyValueStore<Bytes, byte[]> get() {
                return inner;
            }

            @Override
            public String metricsScope() {
                return "in-memory";
            }
        };
    }
}
