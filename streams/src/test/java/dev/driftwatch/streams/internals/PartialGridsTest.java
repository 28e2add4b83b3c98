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
        assertEquals(p0Bytes.length + 9, sent.length); // type and partitions, then the window as it is stored whole
        assertTrue(contains(sent, SubjectSummary.gridToBytes(x.grid())), "x's grid is in the partial");
        assertTrue(contains(sent, SubjectSummary.gridToBytes(y.grid())), "y's grid is in the partial");

        Partial back0 = read(sent);
        Partial back1 = read(write(Partial.bundle(1, 2, p1)));
        assertEquals(0, back0.sourcePartition());
        assertEquals(2, back0.sourcePartitions());
        assertArrayEquals(p0Bytes, back0.bundle().toBytes());
        byte[] merged = new WindowBundle("m", "v1", "*", 0, 60_000).merge(p0).merge(p1).toBytes();
        assertArrayEquals(merged, new WindowBundle("m", "v1", "*", 0, 60_000)
                .merge(back0.bundle()).merge(back1.bundle()).toBytes());
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
