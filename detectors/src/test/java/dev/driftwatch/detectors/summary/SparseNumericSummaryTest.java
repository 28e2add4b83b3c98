package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.BinEdges;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A summary that starts sparse (its held cells only) and turns dense past its limit must be, bit for bit,
 * the summary that was dense from the start: in every accessor and every byte form, through adds, merges of
 * any mix of forms, change tracking, and the read paths. Random operations on real grids, seeded.
 */
class SparseNumericSummaryTest {
    /** A baseline grid as the pipeline builds it: 10 bins, resolution 400 (~860 cells). */
    private static final NumericGrid CONTINUOUS = grid(new Random(7), false);
    /** A grid of a discrete feature: values on a few hundred points, so point cells fill too. */
    private static final NumericGrid DISCRETE = grid(new Random(8), true);

    private static NumericGrid grid(Random random, boolean discrete) {
        double[] reference = new double[20_000];
        for (int i = 0; i < reference.length; i++) {
            double v = random.nextGaussian() * 3 + 1;
            reference[i] = discrete ? Math.round(v * 20) / 20.0 : v;
        }
        return NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null).grid();
    }

    /** A value for the grid: mostly inside, some exactly on points, outside, missing or a signed zero. */
    private static double value(Random random, NumericGrid grid) {
        double[] points = grid.points();
        return switch (random.nextInt(20)) {
            case 0 -> points[random.nextInt(points.length)];
            case 1 -> random.nextBoolean() ? points[0] - random.nextDouble() : points[points.length - 1] + random.nextDouble();
            case 2 -> random.nextInt(3) == 0 ? Double.NaN : (random.nextBoolean() ? Double.POSITIVE_INFINITY : -0.0);
            case 3 -> random.nextBoolean() ? 0.0 : points[points.length - 1];
            default -> random.nextGaussian() * 3 + 1;
        };
    }

    private static int batch(Random random) {
        int[] sizes = {0, 1, 3, 20, 100, 100, 150, 400, 3000};
        return sizes[random.nextInt(sizes.length)];
    }

    /** The same summary in three forms: dense from the start, sparse with the real limit, sparse with a small one. */
    private record Forms(NumericSummary dense, NumericSummary sparse, NumericSummary small) {
        static Forms empty(NumericGrid grid) {
            return new Forms(new NumericSummary(grid, 0), new NumericSummary(grid), new NumericSummary(grid, 5));
        }

        List<NumericSummary> all() {
            return List.of(dense, sparse, small);
        }

        void add(double v) {
            all().forEach(s -> s.add(v));
        }
    }

    @Test
    void shouldEqualTheDenseSummaryThroughRandomAddsMergesAndChanges() throws IOException {
        Random random = new Random(42);
        int sparseSeen = 0;
        int promotedSeen = 0;
        for (int trial = 0; trial < 120; trial++) {
            NumericGrid grid = trial % 3 == 0 ? DISCRETE : CONTINUOUS;
            Forms f = Forms.empty(grid);
            byte[] base = null; // the compact bytes at the last clear, for the journal's replay
            for (int step = 0; step < 8; step++) {
                switch (random.nextInt(6)) {
                    case 0, 1 -> {
                        int n = batch(random);
                        for (int i = 0; i < n; i++) {
                            f.add(value(random, grid));
                        }
                    }
                    case 2 -> {
                        long n = random.nextInt(3);
                        f.all().forEach(s -> s.addMissing(n));
                    }
                    case 3 -> {
                        // The other side in each form, merged into each form: dense ← sparse, sparse ← dense, ...
                        Forms other = Forms.empty(grid);
                        int n = batch(random);
                        for (int i = 0; i < n; i++) {
                            other.add(value(random, grid));
                        }
                        int pick = random.nextInt(3);
                        f.dense.merge(other.all().get(pick));
                        f.sparse.merge(other.all().get((pick + 1) % 3));
                        f.small.merge(other.all().get((pick + 2) % 3));
                    }
                    case 4 -> {
                        f.all().forEach(NumericSummary::clearChanges);
                        base = f.dense.toCompactBytes();
                    }
                    default -> {
                        if (random.nextInt(4) == 0) {
                            f.all().forEach(s -> s.merge(s)); // with itself: every count and sum doubles
                        }
                    }
                }
                for (NumericSummary s : List.of(f.sparse, f.small)) {
                    assertSameSummary(f.dense, s);
                }
                if (base != null) {
                    assertReplaysChanges(f, base);
                }
            }
            sparseSeen += f.sparse.isSparse() ? 1 : 0;
            promotedSeen += f.sparse.isSparse() ? 0 : 1;
            for (NumericSummary s : f.all()) {
                assertSameSummary(f.dense.copy(), s.copy()); // a copy: every held cell changed
                assertReadsBack(s);
            }
        }
        assertTrue(sparseSeen > 10 && promotedSeen > 10, "trials ending sparse " + sparseSeen + ", dense " + promotedSeen);
    }

    @Test
    void shouldChangeOnlyTheRoomWhenToldHowManyCellsToExpect() throws IOException {
        Random random = new Random(17);
        int[] expected = {0, 1, 8, 60, 100, 240, 5000};
        for (int trial = 0; trial < 60; trial++) {
            NumericGrid grid = trial % 3 == 0 ? DISCRETE : CONTINUOUS;
            NumericSummary dense = new NumericSummary(grid, 0);
            NumericSummary told = new NumericSummary(grid);
            int cells = expected[trial % expected.length];
            told.expectCells(cells);
            // 8 at least; none for more cells than a sparse summary holds (a subject that went dense)
            int room = cells == 0 || cells > NumericSummary.sparseLimit(grid) ? 0 : Math.max(8, cells);
            assertEquals(room, told.sparseRoom(), "room before a value");
            int roomBefore = told.sparseRoom();
            for (int step = 0; step < 6; step++) {
                int n = batch(random);
                for (int i = 0; i < n; i++) {
                    double v = value(random, grid);
                    dense.add(v);
                    told.add(v);
                }
                if (random.nextBoolean()) {
                    dense.clearChanges();
                    told.clearChanges();
                }
                assertSameSummary(dense, told);
                if (told.isSparse() && told.heldCells() <= roomBefore) {
                    assertEquals(roomBefore, told.sparseRoom(), "a summary that had room did not grow");
                }
            }
            assertReadsBack(told);
        }
        NumericSummary untold = new NumericSummary(CONTINUOUS);
        untold.expectCells(0);
        assertEquals(0, untold.sparseRoom(), "no room taken before a value when nothing is expected");
    }

    /** Every accessor and byte form bit for bit, and the change tracking. */
    private static void assertSameSummary(NumericSummary expected, NumericSummary actual) throws IOException {
        assertEquals(expected.count(), actual.count());
        assertEquals(expected.missing(), actual.missing());
        assertBits(expected.mean(), actual.mean());
        assertBits(expected.m2(), actual.m2());
        assertBits(expected.min(), actual.min());
        assertBits(expected.max(), actual.max());
        assertBits(expected.populationStd(), actual.populationStd());
        assertEquals(expected.cells(), actual.cells());
        for (int c = 0; c < expected.cells(); c++) {
            assertEquals(expected.cellCount(c), actual.cellCount(c), "cell " + c);
            assertBits(expected.cellMean(c), actual.cellMean(c));
            assertBits(expected.openCellSum(c), actual.openCellSum(c));
        }
        // Out of order too (the sparse lookup remembers where it was).
        for (int c = expected.cells() - 1; c >= 0; c -= 7) {
            assertEquals(expected.cellCount(c), actual.cellCount(c), "cell " + c);
        }
        assertArrayEquals(expected.binCounts(), actual.binCounts());
        assertArrayEquals(expected.toBytes(), actual.toBytes());
        assertArrayEquals(expected.toCompactBytes(), actual.toCompactBytes());
        assertEquals(expected.hasChanges(), actual.hasChanges());
        assertArrayEquals(changes(expected), changes(actual));
    }

    private static void assertBits(double expected, double actual) {
        assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                () -> expected + " vs " + actual);
    }

    private static byte[] changes(NumericSummary s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.writeChanges(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static byte[] compactChanges(NumericSummary s) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.writeCompactChanges(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    /**
     * The changes since the last clear, in either form (raw sums, and sums coded against their prediction),
     * applied to that state read back (sparse) and to it dense.
     */
    private static void assertReplaysChanges(Forms f, byte[] base) throws IOException {
        for (NumericSummary s : f.all()) {
            assertReplaysChanges(f, base, changes(s), false);
            assertReplaysChanges(f, base, compactChanges(s), true);
        }
    }

    private static void assertReplaysChanges(Forms f, byte[] base, byte[] changes, boolean compact)
            throws IOException {
        NumericGrid grid = f.dense.grid();
        NumericSummary read = NumericSummary.fromBytes(grid, base);
        NumericSummary dense = new NumericSummary(grid, 0).merge(read);
        NumericSummary small = new NumericSummary(grid, 3).merge(read);
        dense.clearChanges();
        small.clearChanges();
        for (NumericSummary target : List.of(read, dense, small)) {
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(changes));
            if (compact) {
                target.applyCompactChanges(in);
            } else {
                target.applyChanges(in);
            }
            assertEquals(-1, in.read(), "the changes are read to their end");
            assertArrayEquals(f.dense.toBytes(), target.toBytes());
            assertArrayEquals(f.dense.toCompactBytes(), target.toCompactBytes());
            assertFalse(target.hasChanges());
            NumericSummary expected = NumericSummary.fromBytes(grid, f.dense.toBytes());
            assertSameSummary(expected, target);
        }
    }

    /** Each read path gives the summary back, sparse when it holds few cells. */
    private static void assertReadsBack(NumericSummary s) throws IOException {
        NumericSummary fixed = NumericSummary.fromBytes(s.grid(), s.toBytes());
        NumericSummary compact = NumericSummary.fromBytes(s.grid(), s.toCompactBytes());
        assertSameSummary(fixed, compact);
        assertArrayEquals(s.toBytes(), fixed.toBytes());
        long held = 0;
        long[] counts = new long[s.cells()];
        double[] sums = new double[s.gridPoints().length + 1];
        for (int c = 0; c < s.cells(); c++) {
            counts[c] = s.cellCount(c);
            held += counts[c] != 0 ? 1 : 0;
            if (c % 2 == 0) {
                sums[c / 2] = s.openCellSum(c);
            }
        }
        NumericSummary restored = NumericSummary.restore(s.grid(), counts, sums, s.missing(), s.mean(), s.m2(),
                s.min(), s.max());
        assertSameSummary(fixed, restored);
        boolean few = held <= NumericSummary.sparseLimit(s.grid());
        assertEquals(few, fixed.isSparse());
        assertEquals(few, compact.isSparse());
        assertEquals(few, restored.isSparse());
    }

    @Test
    void shouldHoldAHundredValuesSparseAndTurnDenseWithoutLosingASumOrAChange() throws IOException {
        Random random = new Random(3);
        NumericSummary dense = new NumericSummary(CONTINUOUS, 0);
        NumericSummary sparse = new NumericSummary(CONTINUOUS);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            values.add(random.nextGaussian() * 3 + 1);
        }
        values.forEach(dense::add);
        values.forEach(sparse::add);
        assertTrue(sparse.isSparse());
        assertSameSummary(dense, sparse);
        dense.clearChanges();
        sparse.clearChanges();
        sparse.add(values.get(0));
        dense.add(values.get(0));
        while (sparse.isSparse()) {
            double v = random.nextGaussian() * 3 + 1;
            sparse.add(v);
            dense.add(v);
        }
        assertSameSummary(dense, sparse);
    }

    @Test
    void shouldRefuseACellPastTwoToTheThirtyOneInEitherFormAndChangeNothing() throws IOException {
        NumericGrid grid = CONTINUOUS;
        long[] counts = new long[grid.cellCount()];
        counts[4] = Integer.MAX_VALUE;
        double[] sums = new double[grid.pointCount() + 1];
        sums[2] = 1.5 * Integer.MAX_VALUE;
        double v = grid.points()[1] * 0.5 + grid.points()[2] * 0.5; // in open cell 4
        NumericSummary full = NumericSummary.restore(grid, counts, sums, 0, 1.5, 0, 1.5, 1.5);
        assertTrue(full.isSparse());
        NumericSummary dense = new NumericSummary(grid, 0).merge(full);
        NumericSummary sparse = full.copy();
        assertTrue(sparse.isSparse());
        byte[] before = sparse.toBytes();
        assertThrows(IllegalStateException.class, () -> sparse.add(v));
        assertThrows(IllegalStateException.class, () -> dense.add(v));
        NumericSummary one = new NumericSummary(grid);
        one.add(v);
        assertThrows(IllegalStateException.class, () -> sparse.merge(one));
        assertThrows(IllegalStateException.class, () -> dense.merge(one));
        assertArrayEquals(before, sparse.toBytes());
        assertSameSummary(dense, sparse);
    }

    @Test
    void shouldKeepASumWithoutACountAsTheDenseArraysDo() throws IOException {
        // A stored baseline may hold a sum (even −0.0) in an empty cell; it survives every form.
        NumericGrid grid = NumericGrid.of(new double[] {-1, 0, 0.5, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14},
                BinEdges.of(new double[] {0.0, 2.0}));
        long[] counts = new long[grid.cellCount()];
        counts[3] = 2;
        double[] sums = new double[grid.pointCount() + 1];
        sums[4] = -0.0;
        sums[6] = 2.5;
        NumericSummary s = NumericSummary.restore(grid, counts, sums, 1, -0.5, 0, -1, 0);
        assertTrue(s.isSparse());
        NumericSummary dense = new NumericSummary(grid, 0).merge(s);
        NumericSummary sparse = new NumericSummary(grid).merge(s);
        assertTrue(sparse.isSparse());
        assertSameSummary(dense, sparse);
        assertBits(-0.0, s.openCellSum(8));
        assertBits(0.0, sparse.openCellSum(8)); // +0.0 + −0.0, as the dense merge adds it
    }

    /**
     * Values added in bulk ({@link NumericSummary#addAll(double[], int, int)}, as the summarizing stage lands the
     * values it held back) give, bit for bit, the summary that took them one by one: dense and sparse ones (which turn
     * dense on the way), missing and infinite values, and the changes written since a clear.
     */
    @Test
    void shouldAddARangeOfValuesAsOneByOne() throws IOException {
        Random random = new Random(31);
        for (NumericGrid grid : List.of(CONTINUOUS, DISCRETE)) {
            for (int limit : new int[] {0, NumericSummary.sparseLimit(grid)}) {
                NumericSummary one = new NumericSummary(grid, limit);
                NumericSummary bulk = new NumericSummary(grid, limit);
                for (int round = 0; round < 40; round++) {
                    double[] values = new double[2 + random.nextInt(80)];
                    for (int i = 0; i < values.length; i++) {
                        int kind = random.nextInt(50);
                        values[i] = kind == 0 ? Double.NaN : kind == 1 ? Double.NEGATIVE_INFINITY
                                : kind == 2 ? grid.pointOf(1 + 2 * random.nextInt(grid.pointCount()))
                                : random.nextGaussian() * 4 + 1;
                    }
                    int from = random.nextInt(values.length / 2);
                    int to = from + random.nextInt(values.length - from + 1);
                    for (int i = from; i < to; i++) {
                        one.add(values[i]);
                    }
                    bulk.addAll(values, from, to);
                    assertArrayEquals(one.toBytes(), bulk.toBytes(), "round " + round);
                    assertEquals(one.hasChanges(), bulk.hasChanges());
                    if (round % 7 == 6) {
                        assertArrayEquals(changes(one), changes(bulk), "changes, round " + round);
                        one.clearChanges();
                        bulk.clearChanges();
                    }
                }
            }
        }
    }
}
