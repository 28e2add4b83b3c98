package dev.driftwatch.streams.internals;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.summary.NumericBaseline;
import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.Varint;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The compact form of a grid: every point and edge back bit for bit, in fewer bytes than the fixed form. */
class CompactGridsTest {
    private static NumericGrid grid(double[] reference) {
        return NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null).grid();
    }

    private static void assertSameGrid(NumericGrid expected, NumericGrid actual) {
        assertEquals(expected.fingerprint(), actual.fingerprint());
        assertArrayEquals(expected.points(), actual.points());
        assertArrayEquals(expected.bins().edges(), actual.bins().edges());
    }

    @Test
    void shouldGiveBackEveryPointAndEdgeOfGridsOfAnyShape() throws IOException {
        Random r = new Random(5);
        double[][] references = new double[5][3000];
        for (int i = 0; i < 3000; i++) {
            references[0][i] = r.nextGaussian();                    // across zero
            references[1][i] = -Math.exp(r.nextGaussian() * 20);    // negative only, very wide
            references[2][i] = Math.floor(r.nextDouble() * 1000);   // whole numbers
            references[3][i] = r.nextBoolean() ? -0.0 : 1e-300 * r.nextInt(5); // signed zero and tiny values
            references[4][i] = i % 7 == 0 ? -Double.MAX_VALUE : Double.MAX_VALUE * r.nextDouble();
        }
        for (double[] reference : references) {
            NumericGrid grid = grid(reference);
            byte[] bytes = CompactGrids.toBytes(grid);
            assertSameGrid(grid, CompactGrids.decode(bytes));
            assertSameGrid(grid, CompactGrids.fromBytes(bytes));
            assertTrue(bytes.length < SubjectSummary.gridToBytes(grid).length,
                    bytes.length + " vs " + SubjectSummary.gridToBytes(grid).length);
        }
    }

    @Test
    void shouldDecodeAGridThisProcessDoesNotHoldAndCheckItsFingerprint() throws IOException {
        // Points no grid of this JVM has: the bytes are decoded, not looked up.
        double[] points = {-3.25, -1e-9, 0.0, 0.5, 1.0 / 3, 7.0, 1e12};
        java.util.Arrays.sort(points);
        NumericGrid grid = NumericGrid.of(points, BinEdges.of(new double[] {points[1], points[4]}));
        byte[] bytes = CompactGrids.toBytes(grid).clone();
        NumericGrid back = CompactGrids.fromBytes(bytes);
        assertSameGrid(grid, back);

        IOException e = assertThrows(IOException.class, () -> CompactGrids.fromBytes(withFingerprint(bytes, 42)));
        assertTrue(e.getMessage().contains("fingerprint"), e.getMessage());
    }

    private static byte[] withFingerprint(byte[] bytes, long fingerprint) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < 8; i++) {
            copy[i] = (byte) (fingerprint >>> (56 - 8 * i));
        }
        return copy;
    }

    @Test
    void shouldReadGridsFromAStreamDecodingThoseNotHeldAndSkippingTheOthers() throws IOException {
        double[] points = new double[300];
        for (int i = 0; i < points.length; i++) {
            points[i] = 12_345.678 + i * Math.PI; // no other grid of this JVM has these
        }
        NumericGrid grid = NumericGrid.of(points, BinEdges.of(new double[] {points[0], points[150], points[299]}));
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(buffer)) {
            CompactGrids.write(out, grid);
            CompactGrids.write(out, grid);
            out.writeInt(0x5eed);
        }
        try (java.io.DataInputStream in = ByteStreams.input(buffer.toByteArray())) {
            NumericGrid first = CompactGrids.read(in);   // decoded, then held
            assertSameGrid(grid, first);
            assertSame(first, CompactGrids.read(in));    // skipped: the grid held
            assertEquals(0x5eed, in.readInt());
        }
    }

    @Test
    void shouldTakeAKnownGridWithoutDecodingIt() throws IOException {
        NumericGrid grid = Grids.intern(grid(new Random(9).doubles(2000).toArray()));
        NumericGrid back = CompactGrids.fromBytes(CompactGrids.toBytes(grid));
        assertSame(grid, back, "the interned grid itself");
    }

    @Test
    void shouldEncodeEachGridWhateverTheThreadEncodedBefore() throws Exception {
        // A thread reuses its encoding buffers from grid to grid: a first grid, and a larger one after a small one
        // (the buffers grow), must come out as a thread that encodes only them writes them.
        NumericGrid small = grid(new Random(10).doubles(50).toArray());
        NumericGrid large = grid(new Random(11).doubles(4000).toArray());
        java.util.concurrent.atomic.AtomicReference<byte[][]> fresh = new java.util.concurrent.atomic.AtomicReference<>();
        Thread t = new Thread(() -> fresh.set(new byte[][] {CompactGrids.toBytes(large)}));
        t.start();
        t.join();
        java.util.concurrent.atomic.AtomicReference<byte[][]> after = new java.util.concurrent.atomic.AtomicReference<>();
        Thread u = new Thread(() -> {
            byte[] first = CompactGrids.toBytes(small);
            ByteArrayOutputStream written = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(written)) {
                CompactGrids.write(out, large);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            after.set(new byte[][] {first, CompactGrids.toBytes(large), written.toByteArray()});
        });
        u.start();
        u.join();
        assertSameGrid(large, CompactGrids.decode(fresh.get()[0]));
        assertSameGrid(small, CompactGrids.decode(after.get()[0]));
        assertArrayEquals(fresh.get()[0], after.get()[1]);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(after.get()[2]))) {
            assertEquals(fresh.get()[0].length, Varint.read(in));
            assertArrayEquals(fresh.get()[0], in.readNBytes(fresh.get()[0].length));
        }
    }
}
