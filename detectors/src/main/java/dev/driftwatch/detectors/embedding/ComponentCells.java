package dev.driftwatch.detectors.embedding;

import dev.driftwatch.detectors.summary.NumericGrid;
import dev.driftwatch.detectors.summary.NumericSummary;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;

/**
 * One principal component's projections in a window, as counts on the reference's frozen grid of that
 * component: the same content as a {@link NumericSummary} on that grid, kept without the grid so that it merges
 * (and is read back) without the reference at hand. Fixed in size: one count per cell, one sum per open cell.
 */
final class ComponentCells {
    final long[] cells;
    final double[] openSums;
    long count;
    double mean;
    double m2;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;

    ComponentCells(int cellCount) {
        cells = new long[cellCount];
        openSums = new double[cellCount / 2 + 1];
    }

    void add(NumericGrid grid, double v) {
        int cell = grid.cellOf(v);
        cells[cell]++;
        if (!NumericGrid.isPointCell(cell)) {
            openSums[cell / 2] += v;
        }
        count++;
        double delta = v - mean;
        mean += delta / count;
        m2 += delta * (v - mean);
        min = Math.min(min, v);
        max = Math.max(max, v);
    }

    void merge(ComponentCells other) {
        if (other.cells.length != cells.length) {
            throw new IllegalArgumentException("component summaries of " + cells.length + " and " + other.cells.length
                    + " cells cannot be merged");
        }
        for (int i = 0; i < cells.length; i++) {
            cells[i] += other.cells[i];
        }
        for (int i = 0; i < openSums.length; i++) {
            openSums[i] += other.openSums[i];
        }
        if (other.count > 0) {
            long total = count + other.count;
            double delta = other.mean - mean;
            mean += delta * other.count / total;
            m2 += other.m2 + delta * delta * ((double) count * other.count / total);
            count = total;
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
    }

    NumericSummary on(NumericGrid grid) {
        return NumericSummary.restore(grid, cells, openSums, 0, mean, m2, min, max);
    }

    void write(DataOutput out) throws IOException {
        out.writeLong(count);
        out.writeDouble(mean);
        out.writeDouble(m2);
        out.writeDouble(min);
        out.writeDouble(max);
        for (long c : cells) {
            out.writeInt((int) Math.min(Integer.MAX_VALUE, c));
        }
        for (double s : openSums) {
            out.writeDouble(s);
        }
    }

    static ComponentCells read(DataInput in, int cellCount) throws IOException {
        ComponentCells c = new ComponentCells(cellCount);
        c.count = in.readLong();
        c.mean = in.readDouble();
        c.m2 = in.readDouble();
        c.min = in.readDouble();
        c.max = in.readDouble();
        for (int i = 0; i < cellCount; i++) {
            c.cells[i] = in.readInt();
        }
        for (int i = 0; i < c.openSums.length; i++) {
            c.openSums[i] = in.readDouble();
        }
        return c;
    }
}
