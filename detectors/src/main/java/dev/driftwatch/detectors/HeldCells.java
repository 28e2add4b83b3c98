package dev.driftwatch.detectors;

/**
 * The cells of a {@link GridCells} that hold values, ascending, with their counts and the mean of each open one among
 * them (as {@link GridCells#cellMean} gives it; a point cell's mean is its point, read from the grid's points): what
 * the streaming forms of the numeric tests walk, so that they read the cells where a side has values from compact
 * arrays in order and divide out no mean. Read-only (it holds the arrays it is given, which no one writes after), and
 * so shareable: a baseline that holds its reference whole computes the reference's once, for every window compared
 * with it.
 */
public final class HeldCells {
    /** The most cells a grid may have for its cells to be listed here (each cell's index is kept in a char). */
    public static final int MAX_CELLS = Character.MAX_VALUE + 1;

    private final char[] cells;
    private final int[] counts;
    /** The grid's points, ascending (the array itself, read only). */
    private final double[] points;
    /** The means of the open cells of {@link #cells}, in the same order. */
    private final double[] openMeans;
    private final long total;

    /**
     * The given cells, ascending, their counts, the means of the open ones (even indexes) among them, in order, and
     * the grid's points; the arrays are held as they are.
     *
     * @throws IllegalArgumentException when the cells do not ascend or lie beyond the points, a count is not positive,
     *                                  or there is not one count per cell and one mean per open cell
     */
    public HeldCells(char[] cells, int[] counts, double[] openMeans, double[] points) {
        if (counts.length != cells.length) {
            throw new IllegalArgumentException(cells.length + " cells but " + counts.length + " counts");
        }
        int open = 0;
        long sum = 0;
        for (int i = 0; i < cells.length; i++) {
            if (i > 0 && cells[i] <= cells[i - 1] || counts[i] <= 0 || cells[i] > 2 * points.length) {
                throw new IllegalArgumentException("cell " + (int) cells[i] + " at " + i + " with count " + counts[i]
                        + ": cells must ascend on a grid of " + points.length + " points and hold values");
            }
            open += (cells[i] & 1) == 0 ? 1 : 0;
            sum += counts[i];
        }
        if (open != openMeans.length) {
            throw new IllegalArgumentException(open + " open cells but " + openMeans.length + " means");
        }
        this.cells = cells;
        this.counts = counts;
        this.openMeans = openMeans;
        this.points = points;
        this.total = sum;
    }

    /** @return how many cells hold values */
    public int size() {
        return cells.length;
    }

    /** @return the {@code i}-th cell that holds values */
    public int cell(int i) {
        return cells[i];
    }

    /** @return the {@code i}-th cell's count */
    public int count(int i) {
        return counts[i];
    }

    /**
     * @param i the index of a cell here
     * @param o how many open cells come before it here
     * @return the cell's mean: its point for a point cell
     */
    public double mean(int i, int o) {
        int c = cells[i];
        return (c & 1) == 0 ? openMeans[o] : points[c >>> 1];
    }

    /** @return the sum of the cells' counts */
    public long total() {
        return total;
    }
}
