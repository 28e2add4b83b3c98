package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.BinEdges;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A cell's coarse bin ({@link NumericGrid#binOfCell}) is the bin of every value in the cell, for a grid with the
 * default ten bins and for ones with more bins than a byte or a char holds (a published baseline may have as many bins as
 * its grid has points).
 */
class NumericGridBinsTest {

    /** Each cell's bin is that of a value inside it: the point itself, or a value between its two points. */
    private static void assertBinsOfCells(NumericGrid grid) {
        double[] points = grid.points();
        BinEdges bins = grid.bins();
        for (int c = 0; c < grid.cellCount(); c++) {
            int i = c / 2;
            double v;
            if (NumericGrid.isPointCell(c)) {
                v = points[i];
            } else if (i == 0) {
                v = points[0] - 1;
            } else if (i == points.length) {
                v = points[points.length - 1] + 1;
            } else {
                v = points[i - 1] + (points[i] - points[i - 1]) / 2;
            }
            assertEquals(c, grid.cellOf(v), "value " + v + " lies in cell " + c);
            assertEquals(bins.binOf(v), grid.binOfCell(c), "bin of cell " + c + " (value " + v + ")");
        }
    }

    @Test
    void shouldGiveEachCellTheBinOfItsValuesOnTheDefaultGrid() {
        double[] sample = new Random(3).doubles(5_000).map(x -> Math.exp(3 * x)).toArray();
        Arrays.sort(sample);
        assertBinsOfCells(NumericGrid.fromReference(sample, BinEdges.fromReference(sample, 10),
                NumericGrid.DEFAULT_RESOLUTION));
    }

    /** A byte holds the bins of the default grid; 256 bins still fit one (read unsigned), 257 and 1,000 do not. */
    @Test
    void shouldGiveEachCellTheBinOfItsValuesWithAsManyBinsAsAByteHoldsAndMore() {
        double[] points = new double[2_000];
        for (int i = 0; i < points.length; i++) {
            points[i] = i / 4.0;
        }
        for (int bins : new int[] {256, 257, 1_000}) {
            double[] edges = Arrays.copyOfRange(points, 1, bins); // bins - 1 edges
            assertBinsOfCells(NumericGrid.of(points, BinEdges.of(edges)));
        }
    }

    @Test
    void shouldGiveEachCellTheBinOfItsValuesWithMoreBinsThanACharHolds() {
        double[] points = new double[70_000];
        for (int i = 0; i < points.length; i++) {
            points[i] = i;
        }
        double[] edges = Arrays.copyOfRange(points, 1, 68_000); // 68,000 bins
        assertBinsOfCells(NumericGrid.of(points, BinEdges.of(edges)));
    }
}
