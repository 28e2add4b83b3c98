package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.summary.CategoricalSummary;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Partials carry their numeric grids: the merging instance reads them without any baseline (it may not hold
 * the grid of a partial built on a baseline replaced since), and the merged windows are exactly those of the
 * partitions' windows.
 */
class PartialGridsTest {
    private final Serde<Partial> serde = Partial.serde(WindowParts.none());

    private static NumericBaseline baseline(long seed, double shift) {
        Random r = new Random(seed);
        double[] reference = new double[5000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = shift + r.nextGaussian();
        }
        return NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null);
    }

    /** A window of one input partition: two numeric subjects on their baselines, a categorical one, one without. */
    private static WindowBundle window(NumericBaseline x, NumericBaseline y, long seed) {
        Random r = new Random(seed);
        WindowBundle b = new WindowBundle("m", "v1", "*", 0, 60_000);
        SubjectSummary sx = SubjectSummary.numeric(x.id(), x.newWindow());
        SubjectSummary sy = SubjectSummary.numeric(y.id(), y.newWindow());
        SubjectSummary k = SubjectSummary.categorical(null, new CategoricalSummary());
        SubjectSummary z = SubjectSummary.numericWithoutBaseline();
        for (int i = 0; i < 300; i++) {
            b.countEvent();
            sx.add(i % 40 == 0 ? Double.NaN : 0.3 + r.nextGaussian());
            sy.add(r.nextGaussian() * 2);
            k.add(i % 3 == 0 ? "red" : "blue");
            z.add(r.nextDouble());
        }
        b.put("x", sx);
        b.put("y", sy);
        b.put("k", k);
        b.put("z", z);
        return b;
    }

    private byte[] write(Partial p) {
        return serde.serializer().serialize("partials", p);
    }

    private Partial read(byte[] bytes) {
        return serde.deserializer().deserialize("partials", bytes);
    }

    private static boolean contains(byte[] bytes, byte[] part) {
        for (int at = 0; at + part.length <= bytes.length; at++) {
            if (Arrays.equals(bytes, at, at + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void shouldSendEachGridWithItsPartialAndMergeToExactlyTheSameWindow() {
        NumericBaseline x = baseline(11, 0);
        NumericBaseline y = baseline(12, 5);
        WindowBundle p0 = window(x, y, 1);
        WindowBundle p1 = window(x, y, 2);
        byte[] p0Bytes = p0.toBytes(); // before the merges below, which merge into p0's summaries

        byte[] sent = write(Partial.bundle(0, 2, p0));
        assertTrue(contains(sent, CompactGrids.toBytes(x.grid())), "x's grid is in the partial");
        assertTrue(contains(sent, CompactGrids.toBytes(y.grid())), "y's grid is in the partial");
        assertTrue(sent.length < 0.85 * (p0Bytes.length + 9), sent.length + " vs the self-contained form's "
                + (p0Bytes.length + 9));

        Partial back0 = read(sent);
        Partial back1 = read(write(Partial.bundle(1, 2, p1)));
        assertEquals(0, back0.sourcePartition());
        assertEquals(2, back0.sourcePartitions());
        assertArrayEquals(p0Bytes, back0.bundle().toBytes());
        byte[] merged = new WindowBundle("m", "v1", "*", 0, 60_000).merge(p0).merge(p1).toBytes();
        assertArrayEquals(merged, new WindowBundle("m", "v1", "*", 0, 60_000)
                .merge(back0.bundle()).merge(back1.bundle()).toBytes());
    }

    private static int occurrences(byte[] bytes, byte[] part) {
        int n = 0;
        for (int at = 0; at + part.length <= bytes.length; at++) {
            if (Arrays.equals(bytes, at, at + part.length, part, 0, part.length)) {
                n++;
            }
        }
        return n;
    }

    @Test
    void shouldSendAGridThatSubjectsShareOnceAndMergeThemExactly() {
        NumericBaseline x = baseline(13, 0);
        WindowBundle p0 = window(x, x, 4);
        WindowBundle p1 = window(x, x, 5);
        byte[] merged = new WindowBundle("m", "v1", "*", 0, 60_000).merge(window(x, x, 4)).merge(window(x, x, 5))
                .toBytes();

        byte[] sent0 = write(Partial.bundle(0, 2, p0));
        assertEquals(1, occurrences(sent0, CompactGrids.toBytes(x.grid())), "one grid for two subjects");
        byte[] sent1 = write(Partial.bundle(1, 2, p1));
        assertArrayEquals(merged, new WindowBundle("m", "v1", "*", 0, 60_000)
                .merge(read(sent0).bundle()).merge(read(sent1).bundle()).toBytes());
    }

    /** A partial as releases before format 5 sent it (still on the topic at an upgrade): the window of version 2. */
    private static byte[] partialOfVersion2(int partition, int partitions, byte[] window) {
        byte[] bytes = new byte[9 + window.length];
        bytes[4] = (byte) partition;
        bytes[8] = (byte) partitions;
        System.arraycopy(window, 0, bytes, 9, window.length);
        return bytes;
    }

    @Test
    void shouldReadPartialsOfTheFormerFormat() throws java.io.IOException {
        // The window-state fixture of version 2 (OldWindowStateFixture), as a partial of an earlier release.
        byte[] window;
        try (java.io.InputStream in = getClass().getResourceAsStream("/window-state-v2/window.bin")) {
            window = in.readAllBytes();
        }
        assertEquals(2, window[0], "a window of format version 2");
        Partial back = read(partialOfVersion2(1, 2, window));
        assertEquals(1, back.sourcePartition());
        assertEquals(2, back.sourcePartitions());
        // The window as the stores read it (the fixture's summaries are of the fixed-size form, now written compact).
        byte[] expected = WindowBundle.fromBytes(window).toBytes();
        assertArrayEquals(expected, back.bundle().toBytes());
        assertEquals(12_000, back.bundle().events());
        // and the same window sent now gives it back as well
        assertArrayEquals(expected, read(write(Partial.bundle(1, 2, back.bundle()))).bundle().toBytes());
    }

    /** The partial of a window on a baseline's grid, from an instance that is gone (and its objects with it). */
    private byte[] partialFromAnotherInstance(long seed, byte[][] expected) {
        NumericBaseline x = baseline(seed, 1);
        WindowBundle w = window(x, x, 3);
        expected[0] = w.toBytes();
        return write(Partial.bundle(0, 1, w));
    }

    @Test
    void shouldReadAPartialWhoseGridThisInstanceDoesNotHold() {
        long seed = 2026_12_04L;
        byte[][] expected = new byte[1][];
        byte[] sent = partialFromAnotherInstance(seed, expected);
        long fingerprint = baseline(seed, 1).grid().fingerprint();
        for (int i = 0; i < 20 && Grids.known(fingerprint) != null; i++) {
            System.gc();
        }
        assumeTrue(Grids.known(fingerprint) == null, "the sender's grid is still reachable in this JVM");

        assertArrayEquals(expected[0], read(sent).bundle().toBytes());
    }
}
