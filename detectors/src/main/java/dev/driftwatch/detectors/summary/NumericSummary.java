package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.GridCells;
import dev.driftwatch.detectors.Missing;

import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * A mergeable summary of the numeric values of one window (or of a whole reference) on a frozen
 * {@link NumericGrid}. Its size depends on the grid only, never on the number of values: a count per
 * cell, a sum per open cell, and count, mean, M₂, min and max of all values.
 *
 * <p>From it follow exactly: the counts of the coarse bins (so PSI, KL, JS equal the offline values),
 * the count, the mean and the population standard deviation. KS D follows within 1/G (see
 * {@link NumericGrid}), Wasserstein approximately (each open cell's mass sits at its mean).
 *
 * <p>Not thread-safe; a summary belongs to one window of one task.
 */
public final class NumericSummary implements GridCells {
    /** Version 1 wrote varint counts and only non-empty sums; version 2 is fixed-size. */
    private static final byte FORMAT_VERSION = 2;
    /** Version 3, the compact form of window state ({@link #toCompactBytes()}). */
    private static final byte FORMAT_VERSION_COMPACT = 3;

    private final NumericGrid grid;
    /** The grid's guide to cells, kept here on first use (one object fewer to reach per value). */
    private NumericGrid.Guide guide;
    /**
     * Counts per cell, as ints: the stored form holds at most 2³¹−1 per cell anyway, and half the bytes of
     * longs keep more of an event's twenty-odd summaries in the processor's caches.
     */
    private final int[] cellCounts;
    private final double[] openSums;
    private long count;
    private long missing;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    /**
     * The cells changed since the last {@link #clearChanges()}, a bit per cell (bit {@code c & 63} of word
     * {@code c >>> 6}), so that window state can be written as the changed cells only
     * ({@link #writeChanges}). Reading back and {@link #applyChanges} leave it clear.
     */
    private final long[] changedCells;
    /** Anything (a cell, the missing count) changed since the last {@link #clearChanges()}. */
    private boolean changed;
    /** Min or max changed since the last {@link #clearChanges()} (most values change neither). */
    private boolean extremesChanged;

    /** An empty summary on a grid. */
    public NumericSummary(NumericGrid grid) {
        this.grid = grid;
        this.cellCounts = new int[grid.cellCount()];
        this.openSums = new double[grid.pointCount() + 1];
        this.changedCells = new long[(cellCounts.length + 63) >>> 6];
    }

    /** Adds one value; NaN and ±Inf are counted as missing. */
    public void add(double v) {
        changed = true;
        if (Missing.isMissing(v)) {
            missing++;
            return;
        }
        NumericGrid.Guide g = guide;
        if (g == null) {
            g = grid.guide();
            guide = g;
        }
        int cell = g.cellOf(v);
        if (++cellCounts[cell] < 0) {
            cellCounts[cell]--;
            throw tooMany(cell);
        }
        changedCells[cell >>> 6] |= 1L << cell;
        if (!NumericGrid.isPointCell(cell)) {
            openSums[cell / 2] += v;
        }
        count++;
        double delta = v - mean;
        mean += delta / count;
        m2 += delta * (v - mean);
        if (v < min) {
            min = v;
            extremesChanged = true;
        }
        if (v > max) {
            max = v;
            extremesChanged = true;
        }
    }

    private static IllegalStateException tooMany(int cell) {
        return new IllegalStateException("cell " + cell + " would hold more than " + Integer.MAX_VALUE
                + " values, more than a summary stores");
    }

    /** Adds every value of an array. */
    public void addAll(double[] values) {
        for (double v : values) {
            add(v);
        }
    }

    /** Adds a count of missing values (for sources that report missing values apart). */
    public void addMissing(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("missing count must be ≥ 0, got " + n);
        }
        missing += n;
        changed = true;
    }

    /**
     * Merges another summary on the same grid into this one (Chan's parallel update for mean and M₂).
     *
     * @throws IllegalArgumentException when the grids differ
     */
    public NumericSummary merge(NumericSummary other) {
        if (other.grid.fingerprint() != grid.fingerprint()) {
            throw new IllegalArgumentException("cannot merge summaries on different grids ("
                    + Long.toHexString(grid.fingerprint()) + " vs " + Long.toHexString(other.grid.fingerprint()) + ")");
        }
        for (int i = 0; i < cellCounts.length; i++) {
            if (cellCounts[i] + (long) other.cellCounts[i] > Integer.MAX_VALUE) {
                throw tooMany(i); // before anything changes
            }
        }
        for (int i = 0; i < cellCounts.length; i++) {
            if (other.cellCounts[i] != 0) {
                cellCounts[i] += other.cellCounts[i];
                changedCells[i >>> 6] |= 1L << i;
            }
        }
        for (int i = 0; i < openSums.length; i++) {
            if (Double.doubleToRawLongBits(other.openSums[i]) != 0) {
                openSums[i] += other.openSums[i];
                changedCells[(2 * i) >>> 6] |= 1L << (2 * i);
            }
        }
        missing += other.missing;
        changed = true;
        extremesChanged = true;
        if (other.count > 0) {
            long total = count + other.count;
            double delta = other.mean - mean;
            mean += delta * other.count / total;
            m2 += other.m2 + delta * delta * ((double) count * other.count / total);
            count = total;
            min = Math.min(min, other.min);
            max = Math.max(max, other.max);
        }
        return this;
    }

    /** A deep copy. */
    public NumericSummary copy() {
        return new NumericSummary(grid).merge(this);
    }

    /** The grid. */
    public NumericGrid grid() {
        return grid;
    }

    /** Non-missing values added. */
    @Override
    public long count() {
        return count;
    }

    /** Missing values added. */
    public long missing() {
        return missing;
    }

    /** Mean of the non-missing values, NaN when there are none. */
    public double mean() {
        return count == 0 ? Double.NaN : mean;
    }

    /** Population standard deviation (ddof = 0), NaN when there are no values. */
    @Override
    public double populationStd() {
        if (count == 0) {
            return Double.NaN;
        }
        return min == max ? 0.0 : Math.sqrt(Math.max(0.0, m2 / count));
    }

    /** Smallest value, +Inf when empty. */
    @Override
    public double min() {
        return min;
    }

    /** Largest value, −Inf when empty. */
    @Override
    public double max() {
        return max;
    }

    @Override
    public int cells() {
        return grid.cellCount();
    }

    @Override
    public double[] gridPoints() {
        return grid.points();
    }

    /** The count of one cell. */
    @Override
    public long cellCount(int cell) {
        return cellCounts[cell];
    }

    /** The mean of the values in a cell (its point for a point cell), NaN when the cell is empty. */
    @Override
    public double cellMean(int cell) {
        if (cellCounts[cell] == 0) {
            return Double.NaN;
        }
        return NumericGrid.isPointCell(cell) ? grid.pointOf(cell) : openSums[cell / 2] / cellCounts[cell];
    }

    /** Exact counts of the coarse bins of the grid. */
    public long[] binCounts() {
        long[] bins = new long[grid.bins().binCount()];
        for (int c = 0; c < cellCounts.length; c++) {
            bins[grid.binOfCell(c)] += cellCounts[c];
        }
        return bins;
    }

    /**
     * A summary from its parts, e.g. read back from a stored baseline.
     *
     * @param cellCounts one count per cell of the grid
     * @param openSums   one sum per open cell (K + 1 of them)
     * @param m2         sum of squared deviations from the mean
     */
    public static NumericSummary restore(NumericGrid grid, long[] cellCounts, double[] openSums, long missing,
                                         double mean, double m2, double min, double max) {
        NumericSummary s = new NumericSummary(grid);
        if (cellCounts.length != s.cellCounts.length || openSums.length != s.openSums.length) {
            throw new IllegalArgumentException("grid has " + s.cellCounts.length + " cells and " + s.openSums.length
                    + " open cells, but " + cellCounts.length + " counts and " + openSums.length + " sums were given");
        }
        long n = 0;
        for (int i = 0; i < cellCounts.length; i++) {
            if (cellCounts[i] < 0 || cellCounts[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("cell " + i + " has a count of " + cellCounts[i]
                        + ", outside 0.." + Integer.MAX_VALUE);
            }
            n += cellCounts[i];
            s.cellCounts[i] = (int) cellCounts[i];
        }
        System.arraycopy(openSums, 0, s.openSums, 0, openSums.length);
        s.count = n;
        s.missing = missing;
        s.mean = n == 0 ? 0 : mean;
        s.m2 = n == 0 ? 0 : m2;
        s.min = n == 0 ? Double.POSITIVE_INFINITY : min;
        s.max = n == 0 ? Double.NEGATIVE_INFINITY : max;
        return s;
    }

    /** The sum of the values of an open cell (0 for point cells). */
    public double openCellSum(int cell) {
        return NumericGrid.isPointCell(cell) ? 0.0 : openSums[cell / 2];
    }

    /** Sum of squared deviations from the mean (M₂); populationStd = √(M₂/n). */
    public double m2() {
        return m2;
    }

    /** Whether anything changed since the summary was built, read back or last {@link #clearChanges() cleared}. */
    public boolean hasChanges() {
        return changed;
    }

    /** Forgets which cells changed (after they were written). */
    public void clearChanges() {
        if (changed) {
            java.util.Arrays.fill(changedCells, 0L);
            changed = false;
            extremesChanged = false;
        }
    }

    /**
     * Writes what changed since the last {@link #clearChanges()}: count, missing, mean, M₂, min and max, then
     * the changed cells' ABSOLUTE count and (open cells) sum, bit for bit. {@link #applyChanges} on the summary
     * as it was at that clear gives this summary exactly: nothing is added up again.
     *
     * <pre>
     *   varint   count, missing
     *   long     raw bits of mean, M₂
     *   byte     1 when min and max follow (they changed), else 0
     *   long     raw bits of min, max (when they follow)
     *   varint   changed cells n
     *   n ×      varint gap from the previous changed cell (+1), varint count, [long raw bits of the sum: open cells]
     * </pre>
     */
    public void writeChanges(DataOutput out) throws IOException {
        Varint.write(out, count);
        Varint.write(out, missing);
        out.writeLong(Double.doubleToRawLongBits(mean));
        out.writeLong(Double.doubleToRawLongBits(m2));
        out.writeByte(extremesChanged ? 1 : 0);
        if (extremesChanged) {
            out.writeLong(Double.doubleToRawLongBits(min));
            out.writeLong(Double.doubleToRawLongBits(max));
        }
        int n = 0;
        for (long word : changedCells) {
            n += Long.bitCount(word);
        }
        Varint.write(out, n);
        int previous = -1;
        for (int w = 0; w < changedCells.length; w++) {
            long word = changedCells[w];
            while (word != 0) {
                int cell = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                Varint.write(out, cell - previous - 1);
                previous = cell;
                Varint.write(out, cellCounts[cell]);
                if (!NumericGrid.isPointCell(cell)) {
                    out.writeLong(Double.doubleToRawLongBits(openSums[cell / 2]));
                }
            }
        }
    }

    /**
     * Sets what {@link #writeChanges} wrote: the scalars and the changed cells' values, as written. Marks
     * nothing as changed.
     *
     * @throws IOException when the bytes are truncated or name a cell the grid does not have
     */
    public void applyChanges(DataInput in) throws IOException {
        count = Varint.read(in);
        missing = Varint.read(in);
        mean = Double.longBitsToDouble(in.readLong());
        m2 = Double.longBitsToDouble(in.readLong());
        if (in.readByte() != 0) {
            min = Double.longBitsToDouble(in.readLong());
            max = Double.longBitsToDouble(in.readLong());
        }
        long n = Varint.read(in);
        long cell = -1;
        for (long i = 0; i < n; i++) {
            cell += Varint.read(in) + 1;
            long c = Varint.read(in);
            if (cell >= cellCounts.length || c > Integer.MAX_VALUE) {
                throw new IOException("numeric summary changes name cell " + cell + " with count " + c
                        + "; the grid has " + cellCounts.length + " cells");
            }
            cellCounts[(int) cell] = (int) c;
            if (!NumericGrid.isPointCell((int) cell)) {
                openSums[(int) cell / 2] = Double.longBitsToDouble(in.readLong());
            }
        }
    }

    /**
     * Serialised form, of a fixed size for a grid whatever the number of values (so that state does not
     * grow with traffic): a version byte, the grid fingerprint, count, missing, mean, M₂, min, max,
     * then every cell count (4 bytes) and every open-cell sum (8 bytes).
     *
     * @throws IllegalStateException when a cell count exceeds 2³¹−1
     */
    public byte[] toBytes() {
        // One exact-size buffer, big-endian as DataOutputStream wrote it before (the same bytes, written
        // without a synchronised stream call per byte: this runs for every subject at every commit).
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 6 * 8 + 4 + cellCounts.length * 4 + openSums.length * 8);
        out.put(FORMAT_VERSION);
        out.putLong(grid.fingerprint());
        out.putLong(count);
        out.putLong(missing);
        out.putDouble(mean);
        out.putDouble(m2);
        out.putDouble(min);
        out.putDouble(max);
        out.putInt(cellCounts.length);
        for (int c : cellCounts) {
            out.putInt(c);
        }
        for (double sum : openSums) {
            out.putDouble(sum);
        }
        return out.array();
    }

    /**
     * The compact form (format version 3), for window state and the partials sent between stages: the same
     * values, bit for bit, in about a third of the bytes of {@link #toBytes()}. See {@link CompactSummaryBytes}.
     * {@link #toBytes()} stays the fixed-size form: a baseline's id is a hash of it.
     */
    public byte[] toCompactBytes() {
        return CompactSummaryBytes.write(grid, cellCounts, openSums, count, missing, mean, m2, min, max);
    }

    /** The summary that {@link CompactSummaryBytes} read: its parts, taken as they are. */
    static NumericSummary ofParts(NumericGrid grid, int[] cellCounts, double[] openSums, long count, long missing,
                                  double mean, double m2, double min, double max) {
        NumericSummary s = header(grid, grid.fingerprint(), count, missing, mean, m2, min, max, cellCounts.length);
        System.arraycopy(cellCounts, 0, s.cellCounts, 0, cellCounts.length);
        System.arraycopy(openSums, 0, s.openSums, 0, openSums.length);
        return s;
    }

    /**
     * Reads a summary written by {@link #toBytes()} or {@link #toCompactBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are of another grid, version or truncated
     */
    public static NumericSummary fromBytes(NumericGrid grid, byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == FORMAT_VERSION) {
            return fromFixedSize(grid, ByteBuffer.wrap(bytes));
        }
        if (bytes.length > 0 && bytes[0] == FORMAT_VERSION_COMPACT) {
            return CompactSummaryBytes.read(grid, bytes);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != 1) {
                throw new IllegalArgumentException("unknown numeric summary format version " + version
                        + "; this build reads versions 1 to " + FORMAT_VERSION_COMPACT);
            }
            NumericSummary s = header(grid, in.readLong(), in.readLong(), in.readLong(), in.readDouble(),
                    in.readDouble(), in.readDouble(), in.readDouble(), in.readInt());
            for (int i = 0; i < s.cellCounts.length; i++) {
                long c = Varint.read(in);
                if (c < 0 || c > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("numeric summary bytes hold a cell count of " + c);
                }
                s.cellCounts[i] = (int) c;
            }
            for (int i = 0; i < s.openSums.length; i++) {
                if (s.cellCounts[2 * i] != 0) {
                    s.openSums[i] = in.readDouble();
                }
            }
            return s;
        } catch (IOException e) {
            throw new IllegalArgumentException("numeric summary bytes are truncated or corrupt: " + e, e);
        }
    }

    /** Version 2: fixed-size, read straight from a buffer. */
    private static NumericSummary fromFixedSize(NumericGrid grid, ByteBuffer in) {
        try {
            in.get();
            NumericSummary s = header(grid, in.getLong(), in.getLong(), in.getLong(), in.getDouble(),
                    in.getDouble(), in.getDouble(), in.getDouble(), in.getInt());
            for (int i = 0; i < s.cellCounts.length; i++) {
                s.cellCounts[i] = in.getInt();
                if (s.cellCounts[i] < 0) {
                    throw new IllegalArgumentException("numeric summary bytes hold a negative cell count "
                            + s.cellCounts[i]);
                }
            }
            for (int i = 0; i < s.openSums.length; i++) {
                s.openSums[i] = in.getDouble();
            }
            return s;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("numeric summary bytes are truncated or corrupt: "
                    + in.capacity() + " bytes end before the summary does", e);
        }
    }

    /** An empty summary with the header's fields, after checking the grid's fingerprint and cell count. */
    static NumericSummary header(NumericGrid grid, long fingerprint, long count, long missing, double mean,
                                         double m2, double min, double max, int cells) {
        if (fingerprint != grid.fingerprint()) {
            throw new IllegalArgumentException("summary was written on grid " + Long.toHexString(fingerprint)
                    + " but is read with grid " + Long.toHexString(grid.fingerprint()));
        }
        NumericSummary s = new NumericSummary(grid);
        s.count = count;
        s.missing = missing;
        s.mean = mean;
        s.m2 = m2;
        s.min = min;
        s.max = max;
        if (cells != s.cellCounts.length) {
            throw new IllegalArgumentException("summary has " + cells + " cells, grid has " + s.cellCounts.length);
        }
        return s;
    }
}
