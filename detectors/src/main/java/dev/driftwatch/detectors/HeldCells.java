package dev.driftwatch.detectors;

/**
 * The cells of a {@link GridCells} that hold values, ascending, with their total count and the mean of each open
 * one among them (as {@link GridCells#cellMean} gives it): what the streaming forms of the numeric tests walk, so
 * that they pass over the cells where a side has values in a compact array, and divide out no mean. The counts are
 * read from the summary itself, and a point cell's mean is its point. Immutable, and so shareable: a baseline's
 * reference computes its own once, for every window compared with it.
 */
public final class HeldCells {
    /** The most cells a grid may have for its cells to be listed here (each cell's index is kept in a char). */
    public static final int MAX_CELLS = Character.MAX_VALUE + 1;

    private final char[] cells;
    /** The means of the open cells of {@link #cells}, in the same order. */
    private final double[] openMeans;
    private final long total;

    /**
     * The given cells, ascending, and the means of the open ones (even indexes) among them, in order; the arrays are
     * held as they are.
     *
     * @throws IllegalArgumentException when the cells do not ascend, or there is not one mean per open cell
     */
    public HeldCells(char[] cells, double[] openMeans, long total) {
        int open = 0;
        for (int i = 0; i < cells.length; i++) {
            if (i > 0 && cells[i] <= cells[i - 1]) {
                throw new IllegalArgumentException("cell " + (int) cells[i] + " after " + (int) cells[i - 1]
                        + ": cells must ascend");
            }
            open += (cells[i] & 1) == 0 ? 1 : 0;
        }
        if (open != openMeans.length) {
            throw new IllegalArgumentException(open + " open cells but " + openMeans.length + " means");
        }
        this.cells = cells;
        this.openMeans = openMeans;
        this.total = total;
    }

    /**
     * The cells of a summary with a positive count, read one cell at a time; null when the grid has more than
     * {@link #MAX_CELLS} cells (the tests then walk every cell).
     */
    public static HeldCells of(GridCells s) {
        int grid = s.cells();
        if (grid > MAX_CELLS) {
            return null;
        }
        int held = 0;
        int open = 0;
        long total = 0;
        for (int c = 0; c < grid; c++) {
            long k = s.cellCount(c);
            if (k > 0) {
                held++;
                open += (c & 1) == 0 ? 1 : 0;
                total += k;
            }
        }
        char[] cells = new char[held];
        double[] means = new double[open];
        int i = 0;
        int o = 0;
        for (int c = 0; i < held; c++) {
            if (s.cellCount(c) > 0) {
                cells[i++] = (char) c;
                if ((c & 1) == 0) {
                    means[o++] = s.cellMean(c);
                }
            }
        }
        return new HeldCells(cells, means, total);
    }

    /** @return how many cells hold values */
    public int size() {
        return cells.length;
    }

    /** @return the {@code i}-th cell that holds values */
    public int cell(int i) {
        return cells[i];
    }

    /** @return the mean of the {@code o}-th open cell that holds values */
    public double openMean(int o) {
        return openMeans[o];
    }

    /**
     * @param s the summary these are the cells of
     * @param i the index of a cell here
     * @param o how many open cells come before it here
     * @return the cell's mean: its point for a point cell
     */
    public double mean(GridCells s, int i, int o) {
        int c = cells[i];
        return (c & 1) == 0 ? openMeans[o] : s.gridPoint(c >>> 1);
    }

    /** @return the sum of the cells' counts */
    public long total() {
        return total;
    }
}
