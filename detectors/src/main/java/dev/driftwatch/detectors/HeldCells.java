package dev.driftwatch.detectors;

import java.util.Arrays;

/**
 * The non-empty cells of a {@link GridCells}, in ascending cell order, each with its count and its mean (what
 * {@link GridCells#cellMean} gives, bit for bit): what the streaming forms of the numeric tests walk, so that they
 * pass over the cells where a side has values and not over every cell of the grid. Immutable, and so shareable: a
 * baseline's reference computes its own once, for every window compared with it.
 */
public final class HeldCells {
    private final int[] cells;
    private final int[] counts;
    private final double[] means;
    private final long total;

    /**
     * The given cells, ascending, with their counts (each at least 1) and means; the arrays are held as they are.
     *
     * @throws IllegalArgumentException when the arrays differ in length, the cells do not ascend or a count is not
     *                                  positive
     */
    public HeldCells(int[] cells, int[] counts, double[] means) {
        if (cells.length != counts.length || cells.length != means.length) {
            throw new IllegalArgumentException(cells.length + " cells, " + counts.length + " counts and "
                    + means.length + " means");
        }
        long sum = 0;
        for (int i = 0; i < cells.length; i++) {
            if (counts[i] <= 0 || i > 0 && cells[i] <= cells[i - 1]) {
                throw new IllegalArgumentException("cell " + cells[i] + " at " + i + " with count " + counts[i]
                        + ": cells must ascend and hold a positive count");
            }
            sum += counts[i];
        }
        this.cells = cells;
        this.counts = counts;
        this.means = means;
        this.total = sum;
    }

    /** The non-empty cells of any summary on a grid, read one cell at a time. */
    public static HeldCells of(GridCells s) {
        int grid = s.cells();
        int[] cells = new int[Math.min(grid, 64)];
        int[] counts = new int[cells.length];
        double[] means = new double[cells.length];
        int n = 0;
        for (int c = 0; c < grid; c++) {
            long k = s.cellCount(c);
            if (k <= 0) {
                continue;
            }
            if (k > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("cell " + c + " has a count of " + k + ", above 2^31 - 1");
            }
            if (n == cells.length) {
                int more = Math.min(grid, 2 * n);
                cells = Arrays.copyOf(cells, more);
                counts = Arrays.copyOf(counts, more);
                means = Arrays.copyOf(means, more);
            }
            cells[n] = c;
            counts[n] = (int) k;
            means[n] = s.cellMean(c);
            n++;
        }
        return new HeldCells(Arrays.copyOf(cells, n), Arrays.copyOf(counts, n), Arrays.copyOf(means, n));
    }

    /** @return how many cells hold values */
    public int size() {
        return cells.length;
    }

    /** @return the {@code i}-th non-empty cell's index on the grid */
    public int cell(int i) {
        return cells[i];
    }

    /** @return the {@code i}-th non-empty cell's count */
    public int count(int i) {
        return counts[i];
    }

    /** @return the {@code i}-th non-empty cell's mean */
    public double mean(int i) {
        return means[i];
    }

    /** @return the sum of the counts */
    public long total() {
        return total;
    }
}
