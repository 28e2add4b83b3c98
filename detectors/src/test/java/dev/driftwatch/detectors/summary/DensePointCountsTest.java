package dev.driftwatch.detectors.summary;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A dense summary holds no array for its point cells' counts while none of them has a value (a continuous feature's
 * values hardly ever fall on a grid point; at 10x platform traffic that array was a quarter of every window's
 * numeric summaries), whichever way it became dense: by adds, by a merge, or read back from either byte form. A value
 * on a point makes the array, and the summary then holds the same counts and bytes as one restored from them.
 */
class DensePointCountsTest {
    private static final NumericGrid GRID = grid();

    private static NumericGrid grid() {
        Random random = new Random(11);
        double[] reference = new double[20_000];
        for (int i = 0; i < reference.length; i++) {
            reference[i] = random.nextGaussian() * 3 + 1;
        }
        return NumericBaseline.fromSample(reference, 10, NumericGrid.DEFAULT_RESOLUTION, "test", null, null).grid();
    }

    /** A summary of {@code n} values, none of them on a grid point. */
    private static NumericSummary offPoints(long seed, int n) {
        Random random = new Random(seed);
        NumericSummary s = new NumericSummary(GRID);
        for (int i = 0; i < n; i++) {
            double v = random.nextGaussian() * 3 + 1;
            if (NumericGrid.isPointCell(GRID.cellOf(v))) {
                continue;
            }
            s.add(v);
        }
        return s;
    }

    @Test
    void shouldHoldNoPointCountsWhileNoValueIsOnAPoint() {
        NumericSummary added = offPoints(1, 3_000);
        assertFalse(added.isSparse(), "3,000 values fill more cells than a summary holds sparse");
        assertFalse(added.holdsPointCounts(), "dense by adds");
        assertEquals(0, added.cellCount(GRID.cellCount() - 2), "the last point's cell");
        assertThrows(ArrayIndexOutOfBoundsException.class, () -> added.cellCount(GRID.cellCount()),
                "a cell past the grid is refused as before, with no array of the points to index");

        NumericSummary merged = offPoints(2, 150).merge(offPoints(3, 3_000));
        assertFalse(merged.isSparse());
        assertFalse(merged.holdsPointCounts(), "dense by a merge");

        NumericSummary compact = NumericSummary.fromBytes(GRID, added.toCompactBytes());
        assertFalse(compact.isSparse());
        assertFalse(compact.holdsPointCounts(), "read back from the compact form");

        NumericSummary fixed = NumericSummary.fromBytes(GRID, added.toBytes());
        assertFalse(fixed.isSparse());
        assertFalse(fixed.holdsPointCounts(), "read back from the fixed-size form");

        NumericSummary denseFromStart = new NumericSummary(GRID, 0);
        denseFromStart.merge(added);
        assertFalse(denseFromStart.holdsPointCounts(), "dense from the start");
        assertArrayEquals(added.toBytes(), denseFromStart.toBytes());
    }

    @Test
    void shouldCountAValueOnAPointAsBeforeOnceItComes() {
        NumericSummary s = offPoints(4, 3_000);
        int pointCell = 2 * 100 + 1;
        double point = GRID.pointOf(pointCell);
        s.add(point);
        s.add(point);
        assertTrue(s.holdsPointCounts());
        assertEquals(2, s.cellCount(pointCell));

        long[] counts = new long[GRID.cellCount()];
        double[] sums = new double[GRID.pointCount() + 1];
        for (int c = 0; c < counts.length; c++) {
            counts[c] = s.cellCount(c);
            if (!NumericGrid.isPointCell(c)) {
                sums[c / 2] = s.openCellSum(c);
            }
        }
        NumericSummary restored = NumericSummary.restore(GRID, counts, sums, s.missing(), s.mean(), s.m2(),
                s.min(), s.max());
        assertArrayEquals(restored.toBytes(), s.toBytes());
        assertArrayEquals(restored.toCompactBytes(), s.toCompactBytes());
        NumericSummary compact = NumericSummary.fromBytes(GRID, s.toCompactBytes());
        assertTrue(compact.holdsPointCounts());
        assertArrayEquals(s.toBytes(), compact.toBytes());
        assertArrayEquals(s.binCounts(), compact.binCounts());
    }
}
