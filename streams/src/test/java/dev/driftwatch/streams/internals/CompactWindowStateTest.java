package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.NumericGrid;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Window state in the compact numeric form (format 3) holds the same statistics as before, in fewer bytes, and
 * state written by the previous release (the fixture in {@code window-state-v2/}, see
 * {@link OldWindowStateFixture}) is still read: by a partial's reader and by a restored window-state store.
 */
class CompactWindowStateTest {
    private static byte[] fixture(String name) throws IOException {
        return Files.readAllBytes(OldWindowStateFixture.DIR.resolve(name));
    }

    private static Map<Long, NumericGrid> fixtureGrids() throws IOException {
        Map<Long, NumericGrid> grids = new HashMap<>();
        try (var files = Files.list(OldWindowStateFixture.DIR)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("grid-")).toList()) {
                NumericGrid grid = SubjectSummary.gridFromBytes(Files.readAllBytes(f));
                grids.put(grid.fingerprint(), grid);
            }
        }
        return grids;
    }

    /** Every statistic of two windows, bit for bit: numeric summaries compared in their fixed-size form. */
    private static void assertSameState(WindowBundle expected, WindowBundle actual) {
        assertEquals(expected.events(), actual.events());
        assertEquals(expected.lateEvents(), actual.lateEvents());
        assertEquals(expected.windowStart(), actual.windowStart());
        assertEquals(expected.subjects().keySet(), actual.subjects().keySet());
        expected.subjects().forEach((name, e) -> {
            SubjectSummary a = actual.subject(name);
            assertEquals(e.kind(), a.kind(), name);
            assertEquals(e.baselineId(), a.baselineId(), name);
            assertEquals(e.count(), a.count(), name);
            assertEquals(e.missing(), a.missing(), name);
            switch (e.kind()) {
                case NUMERIC -> assertArrayEquals(e.numericSummary().toBytes(), a.numericSummary().toBytes(), name);
                case CATEGORICAL -> assertArrayEquals(e.categoricalSummary().toBytes(),
                        a.categoricalSummary().toBytes(), name);
                default -> { }
            }
        });
    }

    @Test
    void shouldReadThePreviousReleasesSelfContainedWindowState() throws IOException {
        byte[] old = fixture("window.bin");
        WindowBundle expected = OldWindowStateFixture.window();
        assertSameState(expected, WindowBundle.fromBytes(old));
        // The fixture really is the old form: today's bytes of the same window are shorter.
        assertTrue(expected.toBytes().length < old.length - 2 * 3000, expected.toBytes().length + " vs " + old.length);
    }

    @Test
    void shouldReadThePreviousReleasesStoreFormWithItsGrids() throws IOException {
        Map<Long, NumericGrid> grids = fixtureGrids();
        assertEquals(2, grids.size());
        WindowBundle read = WindowBundle.fromBytes(fixture("window-grids-apart.bin"), grids::get);
        assertSameState(OldWindowStateFixture.window(), read);
    }

    @Test
    void shouldRestoreAStoreThePreviousReleaseWroteAndWriteItBackCompact() throws IOException {
        KeyValueStore<Bytes, byte[]> inner = Stores.inMemoryKeyValueStore("window-state").get();
        WindowStateStore store = WindowStateJournalTest.store(inner);
        // The store's records as the previous release left them (in its changelog, restored into the store).
        String key = "m|v1|*|w";
        inner.put(bytes(key), fixture("window-grids-apart.bin"));
        for (NumericGrid grid : fixtureGrids().values()) {
            inner.put(bytes("~grid/" + Long.toHexString(grid.fingerprint())), SubjectSummary.gridToBytes(grid));
        }
        WindowBundle expected = OldWindowStateFixture.window();
        WindowBundle restored = store.get(key);
        assertSameState(expected, restored);

        store.put(key, restored);
        store.flushCache();
        byte[] rewritten = inner.get(bytes(key));
        assertTrue(rewritten.length < fixture("window-grids-apart.bin").length / 2,
                rewritten.length + " bytes written back");
        store.clearCache();
        assertSameState(expected, store.get(key));
    }

    @Test
    void shouldSendPartialsThatReadBackToTheSameStatistics() {
        WindowBundle b = OldWindowStateFixture.window();
        assertSameState(b, WindowBundle.fromBytes(b.toBytes()));
        Map<Long, NumericGrid> grids = new HashMap<>();
        assertSameState(b, WindowBundle.fromBytes(b.toBytesGridsApart(grids), grids::get));
    }

    private static Bytes bytes(String key) {
        return Bytes.wrap(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the fixture again when asked: only meaningful with the previous release's code (see the fixture's class). */
    @Test
    void writeFixtureWhenAsked() throws IOException {
        Assumptions.assumeTrue(Boolean.getBoolean("driftwatch.fixtures.write"), "writes the fixture only when asked");
        OldWindowStateFixture.write();
    }
}
