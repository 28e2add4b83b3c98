package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.BinEdges;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The serialised forms of the window summaries are stored in changelogs and sent between stages, so
 * they must not change when the code that writes them does: each is checked against its documented
 * layout written field by field here.
 */
class SummaryBytesTest {
    private static NumericGrid grid() {
        double[] points = {-1.0, 0.0, 0.5, 2.0};
        return NumericGrid.of(points, BinEdges.of(new double[] {0.0, 2.0}));
    }

    private static NumericSummary sample(NumericGrid grid) {
        NumericSummary s = new NumericSummary(grid);
        for (double v : new double[] {-3.0, -1.0, 0.25, 0.25, 0.5, 1.0, 7.0, Double.NaN}) {
            s.add(v);
        }
        return s;
    }

    @Test
    void shouldWriteNumericSummariesInTheDocumentedFixedSizeLayout() throws IOException {
        NumericGrid grid = grid();
        NumericSummary s = sample(grid);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(2);
        out.writeLong(grid.fingerprint());
        out.writeLong(7);
        out.writeLong(1);
        out.writeDouble(s.mean());
        out.writeDouble(s.m2());
        out.writeDouble(-3.0);
        out.writeDouble(7.0);
        out.writeInt(grid.cellCount());
        for (int c = 0; c < grid.cellCount(); c++) {
            out.writeInt((int) s.cellCount(c));
        }
        for (int c = 0; c < grid.cellCount(); c += 2) {
            out.writeDouble(s.openCellSum(c));
        }
        assertArrayEquals(expected.toByteArray(), s.toBytes());
        // Cells: (-inf,-1) holds -3; {-1}; (0,0.5) holds 0.25 twice; {0.5}; (0.5,2) holds 1; (2,inf) holds 7.
        assertEquals(List.of(1L, 1L, 0L, 0L, 2L, 1L, 1L, 0L, 1L),
                java.util.stream.IntStream.range(0, 9).mapToObj(s::cellCount).toList());
    }

    @Test
    void shouldReadBackWhatItWroteAndTheOlderVarintLayout() throws IOException {
        NumericGrid grid = grid();
        NumericSummary s = sample(grid);
        NumericSummary back = NumericSummary.fromBytes(grid, s.toBytes());
        assertArrayEquals(s.toBytes(), back.toBytes());
        assertEquals(7, back.count());
        assertEquals(1, back.missing());

        // Version 1: varint counts, and a sum only for the open cells that hold values.
        ByteArrayOutputStream v1 = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(v1);
        out.writeByte(1);
        out.writeLong(grid.fingerprint());
        out.writeLong(7);
        out.writeLong(1);
        out.writeDouble(s.mean());
        out.writeDouble(s.m2());
        out.writeDouble(-3.0);
        out.writeDouble(7.0);
        out.writeInt(grid.cellCount());
        for (int c = 0; c < grid.cellCount(); c++) {
            Varint.write(out, s.cellCount(c));
        }
        for (int c = 0; c < grid.cellCount(); c += 2) {
            if (s.cellCount(c) != 0) {
                out.writeDouble(s.openCellSum(c));
            }
        }
        assertArrayEquals(s.toBytes(), NumericSummary.fromBytes(grid, v1.toByteArray()).toBytes());
    }

    @Test
    void shouldWriteTheCompactFormInItsDocumentedLayout() throws IOException {
        NumericGrid grid = grid();
        NumericSummary s = sample(grid);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(3);
        out.writeLong(grid.fingerprint());
        Varint.write(out, 7);
        Varint.write(out, 1);
        out.writeDouble(s.mean());
        out.writeDouble(s.m2());
        out.writeDouble(-3.0);
        out.writeDouble(7.0);
        Varint.write(out, 9);
        // Cells holding values: 0, 1, 4, 5, 6 and 8.
        out.writeByte(0b0111_0011);
        out.writeByte(0b0000_0001);
        for (int c : new int[] {1, 1, 2, 1, 1, 1}) {
            Varint.write(out, c);
        }
        // Open cells 0, 4, 6, 8: sums -3, 0.5, 1, 7 against count x middle -1, 0.5, 1.25, 2.
        long[] codes = {code(-3.0, -1.0), code(0.5, 0.5), code(1.0, 1.25), code(7.0, 2.0)};
        assertEquals(0, codes[1]);
        out.writeByte(length(codes[0]) | length(codes[1]) << 4);
        out.writeByte(length(codes[2]) | length(codes[3]) << 4);
        for (long code : codes) {
            for (int i = 0; i < length(code); i++) {
                out.writeByte((int) (code >>> (8 * i)));
            }
        }
        assertArrayEquals(expected.toByteArray(), s.toCompactBytes());
        assertArrayEquals(s.toBytes(), NumericSummary.fromBytes(grid, s.toCompactBytes()).toBytes());
    }

    private static long ordered(double v) {
        long bits = Double.doubleToRawLongBits(v);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    private static long code(double sum, double predicted) {
        long d = ordered(sum) - ordered(predicted);
        return (d << 1) ^ (d >> 63);
    }

    private static int length(long code) {
        return (64 - Long.numberOfLeadingZeros(code) + 7) / 8;
    }

    @Test
    void shouldReadBackEveryFieldOfTheCompactFormBitForBit() {
        java.util.Random r = new java.util.Random(7);
        double[] reference = new double[10_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = i % 5 == 0 ? Math.round(r.nextGaussian()) : r.nextGaussian() * 1e3;
        }
        NumericBaseline baseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "t",
                null, null);
        double[][] windows = {
            {},
            {Double.NaN, Double.POSITIVE_INFINITY},
            {-0.0, 0.0, 1e308, -1e308, Double.MIN_VALUE, -Double.MIN_VALUE, 1e-300, 1e300},
            r.doubles(50_000).map(v -> v * 1e4 - 5e3).toArray(),
            r.doubles(3_000).map(v -> Math.round(v * 8) - 4.0).toArray(),
            reference,
        };
        for (double[] values : windows) {
            NumericSummary s = baseline.newWindow();
            s.addAll(values);
            byte[] compact = s.toCompactBytes();
            NumericSummary back = NumericSummary.fromBytes(baseline.grid(), compact);
            assertArrayEquals(s.toBytes(), back.toBytes(), values.length + " values");
            assertArrayEquals(compact, back.toCompactBytes());
            // And the merged summary of two read back equals the merge of the originals.
            assertArrayEquals(s.copy().merge(s).toBytes(), back.copy().merge(back).toBytes());
        }
    }

    @Test
    void shouldReadTheCellsOfTheBitmapAndNoBitPastTheGridsLastCell() {
        java.util.Random r = new java.util.Random(11);
        NumericBaseline baseline = NumericBaseline.fromSample(r.doubles(5_000).map(v -> v * 100).toArray(), 10,
                NumericGrid.DEFAULT_RESOLUTION, "t", null, null);
        NumericSummary few = baseline.newWindow();
        few.addAll(new double[] {-1e9, 0.0, 3.0, 3.0, 50.0, 99.5, 1e9});
        NumericSummary many = baseline.newWindow();
        many.addAll(r.doubles(20_000).map(v -> v * 100).toArray());
        // Read sparse and read dense, on the baseline's grid and on a grid of nine cells.
        for (NumericSummary s : List.of(few, many, sample(grid()))) {
            NumericGrid g = s.grid();
            byte[] compact = s.toCompactBytes();
            assertArrayEquals(s.toBytes(), NumericSummary.fromBytes(g, compact).toBytes());
            int cells = g.cellCount();
            assertTrue(cells % 8 != 0, "a grid has an odd number of cells");
            // The bitmap follows the version, fingerprint, count, missing, four doubles and the cell count.
            int bitmap = 1 + 8 + varintLength(s.count()) + varintLength(s.missing()) + 32 + varintLength(cells);
            byte[] padded = compact.clone();
            padded[bitmap + cells / 8] |= (byte) (0xFF << (cells % 8));
            assertArrayEquals(s.toBytes(), NumericSummary.fromBytes(g, padded).toBytes(), cells + " cells");
        }
    }

    private static int varintLength(long v) {
        return Varint.put(new byte[10], 0, v);
    }

    @Test
    void shouldKeepAWindowOfContinuousValuesUnderFourKilobytesWhateverItsTraffic() {
        java.util.Random r = new java.util.Random(3);
        double[] reference = r.doubles(20_000).map(v -> Math.exp(r.nextGaussian())).toArray();
        NumericBaseline baseline = NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "t",
                null, null);
        for (int n : new int[] {10_000, 100_000, 1_000_000}) {
            NumericSummary s = baseline.newWindow();
            for (int i = 0; i < n; i++) {
                s.add(Math.exp(0.2 + r.nextGaussian()));
            }
            int compact = s.toCompactBytes().length;
            assertTrue(compact < 4096 - 128, n + " values: " + compact + " bytes");
            assertTrue(compact < s.toBytes().length * 0.6, n + " values: " + compact + " of " + s.toBytes().length);
        }
    }

    @Test
    void shouldRefuseTruncatedOrOverlongCompactBytes() {
        NumericGrid grid = grid();
        byte[] bytes = sample(grid).toCompactBytes();
        for (int cut = 1; cut < bytes.length; cut++) {
            byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - cut);
            assertThrows(IllegalArgumentException.class, () -> NumericSummary.fromBytes(grid, truncated));
        }
        byte[] longer = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> NumericSummary.fromBytes(grid, longer));
        NumericGrid other = NumericGrid.of(new double[] {1.0, 3.0}, BinEdges.of(new double[] {1.0}));
        assertThrows(IllegalArgumentException.class, () -> NumericSummary.fromBytes(other, bytes));
    }

    @Test
    void shouldRefuseTruncatedNumericBytesAndAnotherGrid() {
        NumericGrid grid = grid();
        byte[] bytes = sample(grid).toBytes();
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(IllegalArgumentException.class, () -> NumericSummary.fromBytes(grid, truncated));
        NumericGrid other = NumericGrid.of(new double[] {1.0, 3.0}, BinEdges.of(new double[] {1.0}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NumericSummary.fromBytes(other, bytes));
        assertEquals(true, e.getMessage().contains("written on grid"), e.getMessage());
    }

    @Test
    void shouldWriteCategoricalSummariesInCategoryOrder() throws IOException {
        CategoricalSummary s = new CategoricalSummary(10);
        for (String v : new String[] {"web", "ios", "web", "android", null, "web", ""}) {
            s.add(v);
        }
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(1);
        out.writeInt(10);
        Varint.write(out, 2);
        Varint.write(out, 3);
        out.writeUTF("android");
        Varint.write(out, 1);
        out.writeUTF("ios");
        Varint.write(out, 1);
        out.writeUTF("web");
        Varint.write(out, 3);
        assertArrayEquals(expected.toByteArray(), s.toBytes());
        assertEquals(Map.of("android", 1L, "ios", 1L, "web", 3L), s.counts());
        assertEquals(List.of("android", "ios", "web"), List.copyOf(s.counts().keySet()));
        assertArrayEquals(s.toBytes(), CategoricalSummary.fromBytes(s.toBytes()).toBytes());
    }

    @Test
    void shouldMergeInCategoryOrderSoThatTheCapKeepsTheSameCategories() {
        CategoricalSummary wide = new CategoricalSummary(100);
        for (String v : new String[] {"zeta", "delta", "alpha", "kappa", "delta"}) {
            wide.add(v);
        }
        CategoricalSummary capped = new CategoricalSummary(2).merge(wide);
        // Sorted: alpha, delta kept; kappa and zeta go to the bucket of other categories.
        assertEquals(Map.of("alpha", 1L, "delta", 2L, CategoricalSummary.OTHER, 2L), capped.counts());
        assertEquals(5, capped.count());
        assertEquals(2, capped.count("delta"));
        assertEquals(0, capped.count("zeta"));
    }

    @Test
    void shouldRefuseACellCountTheStoredFormCannotHoldWhenItHappens() {
        NumericGrid grid = grid();
        long[] counts = new long[grid.cellCount()];
        counts[4] = Integer.MAX_VALUE; // the open cell (0, 0.5)
        NumericSummary full = NumericSummary.restore(grid, counts, new double[grid.pointCount() + 1], 0, 0.25, 0,
                0.25, 0.25);
        assertThrows(IllegalStateException.class, () -> full.add(0.25));
        assertEquals(Integer.MAX_VALUE, full.cellCount(4));
        assertEquals(Integer.MAX_VALUE, full.count());
        full.add(0.5); // another cell still counts: the point 0.5 is cell 5
        assertEquals(1, full.cellCount(5));

        NumericSummary one = new NumericSummary(grid);
        one.add(0.25);
        long before = full.count();
        assertThrows(IllegalStateException.class, () -> full.merge(one));
        assertEquals(before, full.count(), "a refused merge changes nothing");
        assertEquals(Integer.MAX_VALUE, full.cellCount(4));
        assertThrows(IllegalArgumentException.class, () -> NumericSummary.restore(grid,
                new long[] {0, 0, 0, 0, Integer.MAX_VALUE + 1L, 0, 0, 0, 0}, new double[grid.pointCount() + 1], 0, 0,
                0, 0, 0));
    }
}
