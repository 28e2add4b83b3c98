package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.streams.internals.WindowStateJournalTest.RecordingStore;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How long the window-state store keeps a grid: from its first window on the baseline until windows with
 * {@link WindowStateStore#GRID_KEPT_CLOSES} later ends have closed with none of them on it. So consecutive windows
 * on one baseline write its grid once (each window used to write it anew once the one before had closed), and a
 * grid nothing uses any more still goes. Grids are written compact; the fixed form of earlier releases is read.
 */
class WindowStateGridsTest {
    private static final long MINUTE = 60_000;

    /** Baselines on distinct grids, one per feature (as with a baseline per model version and feature). */
    private static List<NumericBaseline> baselines(int n, long seed) {
        Random r = new Random(seed);
        List<NumericBaseline> list = new ArrayList<>();
        for (int b = 0; b < n; b++) {
            double[] reference = new double[2000];
            for (int i = 0; i < reference.length; i++) {
                reference[i] = b * 3 + r.nextGaussian() * (b + 1);
            }
            list.add(NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "b" + seed + "-" + b,
                    null, null));
        }
        return list;
    }

    /** A window of model version {@code version} ending at minute {@code end}, on the given baselines, with values. */
    private static WindowBundle window(String version, int end, List<NumericBaseline> baselines, Random r) {
        WindowBundle w = new WindowBundle("m", version, "*", (end - 1) * MINUTE, end * MINUTE);
        for (int f = 0; f < baselines.size(); f++) {
            NumericBaseline b = baselines.get(f);
            SubjectSummary s = SubjectSummary.numeric(b.id(), b.newWindow());
            for (int i = 0; i < 50; i++) {
                s.add(f * 3 + r.nextGaussian() * (f + 1));
            }
            w.put("n" + f, s);
        }
        SubjectSummary c = SubjectSummary.categorical(null, new CategoricalSummary(5));
        c.add(r.nextBoolean() ? "a" : "b");
        w.put("c", c);
        w.countEvent();
        return w;
    }

    private static String key(WindowBundle w) {
        return WindowKeys.window(w.windowEnd(), w.modelId(), w.modelVersion(), w.segment());
    }

    private static void open(WindowStateStore store, WindowBundle w) {
        store.put(key(w), w);
        store.flushCache();
    }

    private static void close(WindowStateStore store, WindowBundle w) {
        store.delete(key(w));
        store.flushCache();
    }

    /** A merged window as the merging stage makes it: its partial's grids noted, opened and closed between commits. */
    private static void mergedBetweenCommits(WindowStateStore store, WindowBundle w) {
        store.noteGrids(w);
        store.put(key(w), w);
        store.delete(key(w));
    }

    /** A window written at one commit and closed at the next. */
    private static void openAndClose(WindowStateStore store, WindowBundle w) {
        open(store, w);
        close(store, w);
    }

    private static long gridPuts(RecordingStore inner) {
        return inner.writes.stream().filter(w -> w.key.startsWith("~grid") && w.value >= 0).count();
    }

    private static Set<String> gridKeys(KeyValueStore<Bytes, byte[]> inner) {
        Set<String> keys = new HashSet<>();
        try (var it = inner.all()) {
            it.forEachRemaining(kv -> keys.add(new String(kv.key.get(), StandardCharsets.UTF_8)));
        }
        return keys.stream().filter(k -> k.startsWith("~grid")).collect(Collectors.toSet());
    }

    private static Set<String> gridKeysOf(List<NumericBaseline> baselines) {
        return baselines.stream().map(b -> "~grid-compact/" + Long.toHexString(b.grid().fingerprint()))
                .collect(Collectors.toSet());
    }

    /** A store restored from what {@code changelog} holds. */
    private static WindowStateStore restored(RecordingStore changelog) {
        return restored(changelog, new RecordingStore());
    }

    /** A store restored from what {@code changelog} holds into {@code copy}. */
    private static WindowStateStore restored(RecordingStore changelog, RecordingStore copy) {
        WindowStateStore store = WindowStateJournalTest.store(copy);
        changelog.contents().forEach((k, v) -> copy.put(Bytes.wrap(k.getBytes(StandardCharsets.UTF_8)), v));
        return store;
    }

    private static void assertSameWindow(WindowBundle expected, WindowBundle actual) {
        assertNotNull(actual);
        assertArrayEquals(expected.toBytes(), actual.toBytes());
    }

    @Test
    void shouldWriteAGridOnceForConsecutiveWindowsOnItsBaselineThoughEachOpensAfterTheOneBeforeCloses() {
        List<NumericBaseline> baselines = baselines(5, 1);
        Random r = new Random(2);
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        WindowBundle last = null;
        for (int end = 2; end <= 7; end++) {
            WindowBundle w = window("v1", end, baselines, r);
            if (last != null) {
                close(store, last); // the window before closes at a commit before the next one's first event
            }
            open(store, w);
            assertSameWindow(w, restored(inner).get(key(w)));
            last = w;
        }
        assertEquals(baselines.size(), gridPuts(inner), "grids written for six consecutive windows on five grids");
    }

    @Test
    void shouldDeleteAGridOnceWindowsOfTwoLaterEndsClosedWithoutIt() {
        List<NumericBaseline> replaced = baselines(3, 3);
        List<NumericBaseline> others = baselines(2, 4);
        Random r = new Random(5);
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        WindowBundle first = window("v1", 2, replaced, r);
        openAndClose(store, first);
        // The model version's baseline replaced: its next windows are on other grids.
        WindowBundle second = window("v1", 3, others, r);
        openAndClose(store, second);
        assertTrue(gridKeys(inner).containsAll(gridKeysOf(replaced)), "kept while one later end closed: " + gridKeys(inner));
        WindowBundle third = window("v1", 4, others, r);
        openAndClose(store, third);
        assertEquals(gridKeysOf(others), gridKeys(inner), "two later ends closed without the replaced grids");
        // Nothing uses the others either once two more ends close (windows without numeric subjects).
        for (int end = 5; end <= 6; end++) {
            WindowBundle quiet = window("v1", end, List.of(), r);
            openAndClose(store, quiet);
        }
        assertEquals(Set.of(), gridKeys(inner));
        for (KeyValue<String, Integer> w : inner.writes) {
            assertTrue(w.value >= 0 || inner.everPut.contains(w.key), "tombstone for " + w.key + ", never written");
        }
    }

    @Test
    void shouldDeleteAGridAtTheCommitWhereTheSecondLaterEndClosedThoughThatWindowWasOpenedAgainBeforeIt() {
        List<NumericBaseline> replaced = baselines(2, 51);
        List<NumericBaseline> others = baselines(2, 52);
        Random r = new Random(53);
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        openAndClose(store, window("v1", 2, replaced, r));
        openAndClose(store, window("v1", 3, others, r));
        // The window of end 4 closes and is opened again (a late partial of it) before the commit: end 4 closed all
        // the same, the second end after the replaced grids' last use.
        WindowBundle fourth = window("v1", 4, others, r);
        open(store, fourth);
        store.delete(key(fourth));
        store.put(key(fourth), fourth);
        store.flushCache();
        assertEquals(gridKeysOf(others), gridKeys(inner), "gone at the commit where end 4 closed");
    }

    @Test
    void shouldDeleteTheGridsOfWindowsOfOneEndClosedOverSeveralCommitsAtTheSameEnd() {
        List<NumericBaseline> replaced = baselines(2, 61);
        List<NumericBaseline> others = baselines(2, 62);
        Random r = new Random(63);
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        openAndClose(store, window("v1", 2, replaced, r));
        openAndClose(store, window("v2", 2, replaced, r));
        openAndClose(store, window("v1", 3, others, r));
        // Two versions' windows of end 4 close at two commits (a hand-on in steps): the grids go at the first.
        WindowBundle v1 = window("v1", 4, others, r);
        WindowBundle v2 = window("v2", 4, others, r);
        open(store, v1);
        open(store, v2);
        close(store, v1);
        assertEquals(gridKeysOf(others), gridKeys(inner), "gone once the first window of end 4 closed");
        close(store, v2);
        assertEquals(gridKeysOf(others), gridKeys(inner));
    }

    @Test
    void shouldKeepTheGridsOfAnOpenWindowThoughWindowsOfLaterEndsClose() {
        List<NumericBaseline> longLived = baselines(2, 6);
        Random r = new Random(7);
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        // Open while windows of later ends close: the evaluating stage reopens a window under an end it evaluated
        // for a partial that comes after it (a summarizer's partials sent again after a crash).
        WindowBundle open = window("v-slow", 1, longLived, r);
        open(store, open);
        for (int end = 2; end <= 6; end++) {
            WindowBundle w = window("v1", end, List.of(), r);
            openAndClose(store, w);
        }
        assertEquals(gridKeysOf(longLived), gridKeys(inner));
        assertSameWindow(open, restored(inner).get(key(open)));
    }

    @Test
    void shouldWriteEachGridInItsCompactForm() {
        List<NumericBaseline> baselines = baselines(2, 8);
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        WindowBundle w = window("v1", 2, baselines, new Random(9));
        open(store, w);
        for (NumericBaseline b : baselines) {
            byte[] stored = inner.get(Bytes.wrap(("~grid-compact/" + Long.toHexString(b.grid().fingerprint()))
                    .getBytes(StandardCharsets.UTF_8)));
            assertNotNull(stored, "grid of " + b.id());
            assertArrayEquals(CompactGrids.toBytes(b.grid()), stored);
            assertTrue(stored.length < SubjectSummary.gridToBytes(b.grid()).length);
        }
        assertSameWindow(w, restored(inner).get(key(w)));
    }

    @Test
    void shouldRestoreGridsEarlierReleasesWroteInTheFixedFormAndDeleteThemUnderTheirKeyOnceUnused() throws IOException {
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        String key = WindowKeys.window(120_000, "m", "v1", "*");
        inner.put(Bytes.wrap(key.getBytes(StandardCharsets.UTF_8)),
                Files.readAllBytes(OldWindowStateFixture.DIR.resolve("window-grids-apart.bin")));
        Set<String> fixed = new HashSet<>();
        try (var files = Files.list(OldWindowStateFixture.DIR)) {
            for (var f : files.filter(p -> p.getFileName().toString().startsWith("grid-")).toList()) {
                NumericGrid grid = SubjectSummary.gridFromBytes(Files.readAllBytes(f));
                String gridKey = "~grid/" + Long.toHexString(grid.fingerprint());
                fixed.add(gridKey);
                inner.put(Bytes.wrap(gridKey.getBytes(StandardCharsets.UTF_8)), SubjectSummary.gridToBytes(grid));
            }
        }
        assertTrue(!fixed.isEmpty());
        WindowBundle restored = store.get(key);
        assertSameWindow(OldWindowStateFixture.window(), restored);
        restored.subject("x").add(1.5);
        store.put(key, restored);
        store.flushCache();
        assertEquals(fixed, gridKeys(inner), "a grid held in the fixed form is not written again");
        assertSameWindow(restored, restored(inner).get(key));
        store.delete(key);
        store.flushCache();
        Random r = new Random(10);
        for (int end = 3; end <= 4; end++) {
            WindowBundle quiet = window("v1", end, List.of(), r);
            openAndClose(store, quiet);
        }
        assertEquals(Set.of(), gridKeys(inner));
    }

    @Test
    void shouldDeleteAfterTwoClosesTheGridsNoRestoredWindowUses() {
        List<NumericBaseline> baselines = baselines(2, 11);
        Random r = new Random(12);
        RecordingStore inner = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        WindowBundle w = window("v1", 2, baselines, r);
        openAndClose(store, w);
        RecordingStore copy = new RecordingStore();
        WindowStateStore after = restored(inner, copy); // restarted: the grids' last use is not known
        assertEquals(0, after.openWindows());
        assertEquals(gridKeysOf(baselines), gridKeys(copy));
        WindowBundle quiet = window("v1", 3, List.of(), r);
        openAndClose(after, quiet);
        assertEquals(gridKeysOf(baselines), gridKeys(copy));
        quiet = window("v1", 4, List.of(), r);
        openAndClose(after, quiet);
        assertEquals(Set.of(), gridKeys(copy));
    }

    @Test
    void shouldKeepARestoredGridThroughClosesOfEndsBelowTheLatestClosedOne() {
        // The merging store notes a partial's grid, closes its window (end 1) and one of end 2 on other grids: the
        // grid is kept (one later end closed). Restored, it must not go for windows reopened under ends 0 and 1 (a
        // late partial) closing: only windows of two ends after 1 may drop it.
        List<NumericBaseline> first = baselines(1, 31);
        List<NumericBaseline> other = baselines(1, 32);
        Random r = new Random(33);
        RecordingStore changelog = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(changelog);
        mergedBetweenCommits(store, window("1", 1, first, r));
        mergedBetweenCommits(store, window("2", 2, other, r));
        store.flushCache();
        assertTrue(gridKeys(changelog).containsAll(gridKeysOf(first)), "the grid of a window never written");

        WindowStateStore after = restored(changelog);
        for (int end : new int[] {0, 1}) {
            WindowBundle late = window("3", end, other, r);
            after.put(key(late), late);
            after.flushCache();
            after.delete(key(late));
            after.flushCache();
        }
        assertEquals(first.get(0).grid(), after.grid(first.get(0).grid().fingerprint()),
                "closes of ends below the latest closed one do not count");
        for (int end : new int[] {3, 4}) {
            openAndClose(after, window("3", end, other, r));
        }
        assertEquals(null, after.grid(first.get(0).grid().fingerprint()), "two later ends closed without it");
    }

    @Test
    void shouldKeepARestoredGridThatAPartialOfAWindowStillOpenUsed() {
        // Window 1 closed; a partial of window 3 on grid B was noted, but its merged window kept another side (on
        // grid C). Restored, B was used at end 3 at most: the closes of ends 2 and 3 leave it for window 4's partial.
        List<NumericBaseline> b = baselines(1, 41);
        List<NumericBaseline> c = baselines(1, 42);
        Random r = new Random(43);
        RecordingStore changelog = new RecordingStore();
        WindowStateStore store = WindowStateJournalTest.store(changelog);
        mergedBetweenCommits(store, window("1", 1, c, r));
        store.noteGrids(window("1", 3, b, r)); // the side the merged window did not keep
        WindowBundle w3 = window("1", 3, c, r);
        store.noteGrids(w3);
        store.put(key(w3), w3);
        store.flushCache();

        WindowStateStore after = restored(changelog);
        openAndClose(after, window("1", 2, c, r));
        after.delete(key(w3));
        after.flushCache();
        assertEquals(b.get(0).grid(), after.grid(b.get(0).grid().fingerprint()),
                "noted at end 3: kept until windows of two ends after 3 close");
    }
}
