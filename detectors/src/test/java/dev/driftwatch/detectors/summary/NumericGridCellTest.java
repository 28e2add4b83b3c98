package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.SortedArrays;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link NumericGrid#cellOf} finds a value's cell through its guide; the cell must be the one the
 * definition gives (a plain binary search over the points), on smooth, heavy-tailed, clustered and
 * tiny-span grids, at the points themselves, next to them and outside the range.
 */
class NumericGridCellTest {
    /** The cell by definition: 2c−1 when v is the c-th point, else 2c for c points below v. */
    private static int expectedCell(double[] points, double v) {
        int lo = SortedArrays.countAtMost(points, v);
        return lo > 0 && points[lo - 1] == v ? 2 * lo - 1 : 2 * lo;
    }

    private static NumericGrid grid(double[] sample) {
        double[] sorted = sample.clone();
        Arrays.sort(sorted);
        return NumericGrid.fromReference(sorted, BinEdges.fromReference(sorted, 10), NumericGrid.DEFAULT_RESOLUTION);
    }

    private static void checkAround(NumericGrid grid, Random random, double[] probes) {
        double[] points = grid.points();
        for (double p : points) {
            for (double v : new double[] {p, Math.nextUp(p), Math.nextDown(p)}) {
                assertEquals(expectedCell(points, v), grid.cellOf(v), "value " + v);
            }
        }
        for (double v : probes) {
            assertEquals(expectedCell(points, v), grid.cellOf(v), "value " + v);
        }
        double lo = points[0];
        double hi = points[points.length - 1];
        for (int i = 0; i < 20_000; i++) {
            double v = lo + (hi - lo) * (random.nextDouble() * 1.2 - 0.1);
            assertEquals(expectedCell(points, v), grid.cellOf(v), "value " + v);
        }
    }

    @Test
    void findsTheDefinedCellOnManyShapesOfGrid() {
        Random random = new Random(42);
        double[][] samples = new double[5][];
        samples[0] = random.doubles(20_000).map(u -> u * 100).toArray(); // smooth
        samples[1] = random.doubles(20_000).map(u -> Math.exp(12 * u * u * u)).toArray(); // heavy tail
        samples[2] = random.ints(20_000, 0, 7).asDoubleStream().toArray(); // a few repeated values
        samples[3] = random.doubles(20_000).map(u -> 1e300 * (u - 0.5)).toArray(); // huge span
        samples[4] = random.doubles(20_000).map(u -> 1.0 + u * 1e-12).toArray(); // tiny span
        double[] probes = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, -Double.MAX_VALUE, Double.MAX_VALUE,
            0.0, -0.0, Double.MIN_VALUE, -1e308, 1e308};
        for (double[] sample : samples) {
            checkAround(grid(sample), random, probes);
        }
    }

    /**
     * The guide counts the points before each part in chars up to 65,535 points (a char's largest value) and in ints
     * beyond: a grid of the largest resolution has some 100,000 points, and counts held in chars there would wrap.
     */
    @Test
    void findsTheDefinedCellOnGridsWithAsManyPointsAsACharCountsAndMore() {
        Random random = new Random(7);
        double[] probes = {Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, Double.NaN, -1e308, 1e308};
        double[] sample = random.doubles(300_000).map(u -> Math.exp(12 * u * u * u)).toArray();
        Arrays.sort(sample);
        NumericGrid finest = NumericGrid.fromReference(sample, BinEdges.fromReference(sample, 10), 100_000);
        assertTrue(finest.pointCount() > Character.MAX_VALUE + 1, "points: " + finest.pointCount());
        checkAround(finest, random, probes);
        for (int k : new int[] {Character.MAX_VALUE, Character.MAX_VALUE + 1}) {
            double[] points = random.doubles(k).map(u -> u * u * 1_000).sorted().distinct().toArray();
            checkAround(NumericGrid.of(points, BinEdges.of(points[points.length / 2])), random, probes);
        }
    }

    @Test
    void aGridOfOnePointHasThreeCells() {
        NumericGrid g = NumericGrid.of(new double[] {5.0}, BinEdges.of(5.0));
        assertEquals(0, g.cellOf(4.0));
        assertEquals(1, g.cellOf(5.0));
        assertEquals(2, g.cellOf(6.0));
    }
}
