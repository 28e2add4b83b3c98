package dev.driftwatch.detectors;

/**
 * A bounded summary of numeric values on a frozen grid of points, as the streaming forms of the drift
 * tests read it. The grid's P points split the line into 2P + 1 cells: even cells are the open
 * intervals between points (cell 0 below the first point, cell 2P above the last), odd cells the
 * points themselves. Each cell keeps its count and the mean of its values.
 */
public interface GridCells {

    /** @return the number of cells, 2P + 1 */
    int cells();

    /**
     * @param cell a cell index in [0, cells())
     * @return how many values fell in the cell
     */
    long cellCount(int cell);

    /**
     * @param cell a cell index in [0, cells())
     * @return the mean of the cell's values (its point for a point cell), NaN when the cell is empty
     */
    double cellMean(int cell);

    /**
     * @param point a point index in [0, (cells() - 1) / 2)
     * @return the grid's point of that index (the value of cell 2i + 1); points ascend
     */
    double gridPoint(int point);

    /** @return the number of values */
    long count();

    /** @return the values' population standard deviation */
    double populationStd();

    /** @return the smallest value */
    double min();

    /** @return the largest value */
    double max();
}
