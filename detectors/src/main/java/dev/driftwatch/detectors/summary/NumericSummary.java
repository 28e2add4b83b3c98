package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.GridCells;
import dev.driftwatch.detectors.HeldCells;
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
 * {@link NumericGrid}: a count per cell, a sum per open cell, and count, mean, M₂, min and max of all values.
 * Its size is bounded by the grid, never by the number of values.
 *
 * <p>From it follow exactly: the counts of the coarse bins (so PSI, KL, JS equal the offline values),
 * the count, the mean and the population standard deviation. KS D follows within 1/G (see
 * {@link NumericGrid}), Wasserstein approximately (each open cell's mass sits at its mean).
 *
 * <p>A window of a hundred values touches at most a hundred of the grid's ~860 cells, so a summary starts
 * sparse: the cells it holds with their counts and sums (16 bytes a cell, a 2-byte hash slot, a bit per grid
 * cell), about 1.8 KB for a hundred values. Past {@link #sparseLimit} cells it turns dense: an array slot for
 * every open cell (~5 KB on the default grid), where a value costs one array index; the point cells' counts get
 * their array only when a value falls on a point (values of a continuous feature hardly ever do: an array for
 * them in every dense summary was a quarter of its bytes, 1.7 KB on the default grid). Either way every cell's sum is
 * added up in the same order, so the two hold the same values bit for bit and every accessor and byte form is
 * the same.
 *
 * <p>Not thread-safe; a summary belongs to one window of one task.
 */
public final class NumericSummary implements GridCells {
    /** Version 1 wrote varint counts and only non-empty sums; version 2 is fixed-size. */
    private static final byte FORMAT_VERSION = 2;
    /** Version 3, the compact form of window state ({@link #toCompactBytes()}). */
    private static final byte FORMAT_VERSION_COMPACT = 3;
    /** The most cells a summary holds sparse, whatever the grid (an index + 1 must fit a {@link #slots} byte). */
    static final int MAX_SPARSE_CELLS = 240;

    /** A held cell: the cell in the high 32 bits, {@link #CHANGED} and the count in the low 31. */
    private static final long COUNT = Integer.MAX_VALUE;
    private static final long CHANGED = 1L << 31;
    private static final long[] NO_ENTRIES = new long[0];
    private static final double[] NO_SUMS = new double[0];

    private final NumericGrid grid;
    /** The grid's guide to cells, kept here on first use (one object fewer to reach per value). */
    private NumericGrid.Guide guide;
    /** How many cells the summary holds sparse at most; 0: dense from the start. */
    private final int sparseLimit;
    /**
     * Dense: counts per open cell (cell 2i at i), as ints (the stored form holds at most 2³¹−1 per cell anyway, and
     * half the bytes of longs keep more of an event's twenty-odd summaries in the processor's caches); null while
     * sparse. Whether the summary is dense.
     */
    private int[] openCounts;
    /**
     * Dense: counts per point cell (cell 2i + 1 at i), made at the first count a point cell takes; null until then
     * (every point cell's count is 0) and while sparse.
     */
    private int[] pointCounts;
    /** Dense: one sum per open cell (cell 2i at i); null while sparse. */
    private double[] openSums;
    /**
     * Dense: the cells changed since the last {@link #clearChanges()}, a bit per cell (bit {@code c & 63} of
     * word {@code c >>> 6}), so that window state can be written as the changed cells only
     * ({@link #writeChanges}). Reading back and {@link #applyChanges} leave it clear. Null while sparse, where
     * each held cell has its own bit.
     */
    private long[] changedCells;
    /**
     * Sparse: the held cells ({@link #entry}), the first {@link #held} of them, in the order they came (the byte
     * forms take them in cell order from {@link #heldBits}); null when dense.
     */
    private long[] entries;
    /** Sparse: each held cell's sum (0 for a point cell), at the cell's index in {@link #entries}. */
    private double[] entrySums;
    private int held;
    /**
     * Sparse: where each held cell is, an open-addressed table (linear probing, at most half full) of
     * index + 1 in {@link #entries}, 0 for a free slot; so a value costs a hash and a probe or two, and a new
     * cell goes at the end, where sorted arrays spent a binary search and a move of the cells after it.
     * Null until the first cell is held.
     */
    private byte[] slots;
    /**
     * Sparse: a bit per held cell (as in {@link #changedCells}), so that reading an empty cell, most cells when
     * the tests walk the grid, costs one bit test, and the byte forms find the held cells in cell order. Every path
     * that holds a cell sets its bit ({@link #inCellOrder} refuses a summary where they disagree). Null with the
     * table.
     */
    private long[] heldBits;
    private long count;
    private long missing;
    private double mean;
    private double m2;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    /** Anything (a cell, the missing count) changed since the last {@link #clearChanges()}. */
    private boolean changed;
    /** The sparse summary this is the dense copy of ({@link #denseCells}); null for any other summary. */
    private NumericSummary denseOf;
    /** Min or max changed since the last {@link #clearChanges()} (most values change neither). */
    private boolean extremesChanged;

    /** An empty summary on a grid. */
    public NumericSummary(NumericGrid grid) {
        this(grid, sparseLimit(grid));
    }

    /** An empty summary that holds at most {@code sparseLimit} cells sparse (0: dense from the start). */
    NumericSummary(NumericGrid grid, int sparseLimit) {
        this.grid = grid;
        this.sparseLimit = Math.max(0, Math.min(MAX_SPARSE_CELLS, sparseLimit));
        if (this.sparseLimit == 0) {
            openCounts = new int[grid.pointCount() + 1];
            openSums = new double[grid.pointCount() + 1];
            changedCells = new long[(grid.cellCount() + 63) >>> 6];
        } else {
            entries = NO_ENTRIES;
            entrySums = NO_SUMS;
        }
    }

    /**
     * How many cells a summary on a grid holds sparse: a quarter of the cells (the sparse form then takes at
     * most about half the dense form's bytes), at most {@link #MAX_SPARSE_CELLS}; 0 (dense) for grids so
     * small that the dense arrays cost less than the sparse form's headers.
     */
    static int sparseLimit(NumericGrid grid) {
        int limit = Math.min(MAX_SPARSE_CELLS, grid.cellCount() / 4);
        return limit < 8 ? 0 : limit;
    }

    /** Whether the summary holds its cells sparse (for tests). */
    boolean isSparse() {
        return openCounts == null;
    }

    /** Whether a dense summary holds an array of point cells' counts (for tests). */
    boolean holdsPointCounts() {
        return pointCounts != null;
    }

    /** A dense summary's count of a cell (a cell outside the grid is refused, as an array index is). */
    private int denseCount(int cell) {
        if ((cell & 1) == 0) {
            return openCounts[cell >>> 1];
        }
        int[] points = pointCounts;
        if (points == null) {
            checkInGrid(cell);
            return 0;
        }
        return points[cell >>> 1];
    }

    /** The dense array that holds a cell's count (at {@code cell >>> 1}), the point cells' made when first needed. */
    private int[] denseCountsOf(int cell) {
        if ((cell & 1) == 0) {
            return openCounts;
        }
        int[] points = pointCounts;
        if (points == null) {
            points = new int[grid.pointCount()];
            pointCounts = points;
        }
        return points;
    }

    /** Sets a dense summary's count of a cell (no array for the point cells for a count of 0). */
    private void setDenseCount(int cell, int c) {
        if (c != 0 || (cell & 1) == 0 || pointCounts != null) {
            denseCountsOf(cell)[cell >>> 1] = c;
        } else {
            checkInGrid(cell);
        }
    }

    /** Refuses a cell outside the grid, as the dense array of every cell refused it. */
    private void checkInGrid(int cell) {
        if (cell < 0 || cell >= grid.cellCount()) {
            throw new ArrayIndexOutOfBoundsException("cell " + cell + " is outside the grid's "
                    + grid.cellCount() + " cells");
        }
    }

    static long entry(int cell, long count) {
        return (long) cell << 32 | count;
    }

    static int cellOfEntry(long entry) {
        return (int) (entry >>> 32);
    }

    static int countOfEntry(long entry) {
        return (int) (entry & COUNT);
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
        if (openCounts != null) {
            int[] counts = denseCountsOf(cell);
            int at = cell >>> 1;
            if (++counts[at] < 0) {
                counts[at]--;
                throw tooMany(cell);
            }
            changedCells[cell >>> 6] |= 1L << cell;
            if (!NumericGrid.isPointCell(cell)) {
                openSums[cell / 2] += v;
            }
        } else {
            addSparse(cell, v);
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

    /** {@link #add}'s cell update while sparse (turning dense when a new cell is one too many). */
    private void addSparse(int cell, double v) {
        int i = indexOf(cell);
        if (i < 0) {
            i = insert(cell, -i - 1);
            if (i < 0) {
                denseCountsOf(cell)[cell >>> 1]++; // a new cell: from 0 to 1
                changedCells[cell >>> 6] |= 1L << cell;
                if (!NumericGrid.isPointCell(cell)) {
                    openSums[cell / 2] += v;
                }
                return;
            }
        }
        long e = entries[i];
        if ((e & COUNT) == COUNT) {
            throw tooMany(cell);
        }
        entries[i] = (e + 1) | CHANGED;
        if (!NumericGrid.isPointCell(cell)) {
            entrySums[i] += v;
        }
    }

    /** The index of a held cell in {@link #entries}, or −(the free slot where it would go) − 1. */
    private int indexOf(int cell) {
        byte[] t = slots;
        if (t == null) {
            return -1;
        }
        int mask = t.length - 1;
        for (int h = slotOf(cell, t.length); ; h = (h + 1) & mask) {
            int slot = t[h] & 0xFF;
            if (slot == 0) {
                return -h - 1;
            }
            if (cellOfEntry(entries[slot - 1]) == cell) {
                return slot - 1;
            }
        }
    }

    /** Where a cell's probe starts in a table of a power-of-two length (Fibonacci hashing). */
    private static int slotOf(int cell, int tableLength) {
        return (cell * 0x9E3779B9) >>> (Integer.numberOfLeadingZeros(tableLength) + 1);
    }

    /** Puts entry {@code i}'s index into the table (the cell is not in it yet). */
    private static void place(byte[] t, int cell, int i) {
        int mask = t.length - 1;
        int h = slotOf(cell, t.length);
        while (t[h] != 0) {
            h = (h + 1) & mask;
        }
        t[h] = (byte) (i + 1);
    }

    /** Makes room for {@code n} held cells: the arrays by half at least, the table twice their length. */
    private void reserve(int n) {
        if (n > entries.length) {
            int capacity = Math.min(sparseLimit, Math.max(n, Math.max(8, entries.length + (entries.length >> 1))));
            entries = java.util.Arrays.copyOf(entries, capacity);
            entrySums = java.util.Arrays.copyOf(entrySums, capacity);
        }
        if (slots == null || slots.length < 2 * entries.length) {
            byte[] t = new byte[Integer.highestOneBit(Math.max(2, 2 * entries.length - 1)) << 1];
            for (int i = 0; i < held; i++) {
                place(t, cellOfEntry(entries[i]), i);
            }
            slots = t;
        }
        if (heldBits == null) {
            long[] bits = new long[(grid.cellCount() + 63) >>> 6];
            for (int i = 0; i < held; i++) {
                int cell = cellOfEntry(entries[i]);
                bits[cell >>> 6] |= 1L << cell;
            }
            heldBits = bits;
        }
    }

    /**
     * Makes room at once for about {@code cells} held cells, so that a summary told how many cells its subject filled
     * in the window before does not grow step by step, each step copying its cells and building its table again.
     * Only the room changes: no value, accessor or byte form. Nothing for a dense summary, one with that much room
     * already, or more cells than a sparse summary holds (a subject that went dense: room for all of them would be
     * thrown away when it goes dense again).
     */
    public void expectCells(int cells) {
        if (openCounts == null && cells > entries.length && cells <= sparseLimit) {
            reserve(cells);
        }
    }

    /**
     * How many cells the summary holds while sparse; for a dense summary, one more than it holds sparse at most (a
     * size for {@link #expectCells} of the next window's summary).
     */
    public int heldCells() {
        return openCounts == null ? held : sparseLimit + 1;
    }

    /** How many cells a sparse summary has room for before it grows; 0 when dense. */
    public int sparseRoom() {
        return openCounts == null ? entries.length : 0;
    }

    /** Builds the table of cells read back (none for an empty summary: the first cell builds it). */
    private void indexHeld() {
        if (held > 0) {
            reserve(held);
        }
    }

    /**
     * Holds a new, empty cell at the end and gives its index; or turns the summary dense (and gives −1) when
     * it would hold more than {@link #sparseLimit} cells.
     */
    private int insert(int cell, int freeSlot) {
        int n = held;
        if (n >= sparseLimit) {
            toDense();
            return -1;
        }
        if (slots == null || n == entries.length) {
            reserve(n + 1);
            freeSlot = -indexOf(cell) - 1; // in the new table
        }
        entries[n] = entry(cell, 0);
        entrySums[n] = 0.0;
        slots[freeSlot] = (byte) (n + 1);
        heldBits[cell >>> 6] |= 1L << cell;
        held = n + 1;
        return n;
    }

    /**
     * The indexes of the held cells (all, or those changed since the last clear), in cell order: the cells of
     * {@link #heldBits} in order, each found in the table.
     */
    private int[] inCellOrder(boolean changedOnly) {
        int[] order = new int[held];
        int n = 0;
        long[] bits = heldBits;
        for (int w = 0; held > 0 && w < bits.length; w++) {
            long word = bits[w];
            while (word != 0) {
                int cell = (w << 6) + Long.numberOfTrailingZeros(word);
                word &= word - 1;
                int i = indexOf(cell);
                if (!changedOnly || (entries[i] & CHANGED) != 0) {
                    order[n++] = i;
                }
            }
        }
        if (!changedOnly && n != held) {
            // A held cell without its bit would be left out of the bytes: refuse rather than write less.
            throw new IllegalStateException(held + " cells held but " + n + " of them marked held");
        }
        return n == order.length ? order : java.util.Arrays.copyOf(order, n);
    }

    /** Moves the held cells into dense arrays, their changed bits included. */
    private void toDense() {
        long[] e = entries;
        double[] sums = entrySums;
        int n = held;
        openCounts = new int[grid.pointCount() + 1];
        openSums = new double[grid.pointCount() + 1];
        changedCells = new long[(grid.cellCount() + 63) >>> 6];
        fillDense(this, e, sums, n);
        entries = null;
        entrySums = null;
        held = 0;
        slots = null;
        heldBits = null;
    }

    private void ensureDense() {
        if (openCounts == null) {
            toDense();
        }
    }

    /** Sets n held cells ({@link #entry}, sums) into the dense arrays of {@code d}, and their changed bits. */
    private static void fillDense(NumericSummary d, long[] e, double[] sums, int n) {
        double[] open = d.openSums;
        long[] changedBits = d.changedCells;
        for (int i = 0; i < n; i++) {
            int cell = cellOfEntry(e[i]);
            d.setDenseCount(cell, countOfEntry(e[i]));
            if (!NumericGrid.isPointCell(cell)) {
                open[cell / 2] = sums[i];
            }
            if ((e[i] & CHANGED) != 0) {
                changedBits[cell >>> 6] |= 1L << cell;
            }
        }
    }

    /**
     * Turns a dense summary sparse when it holds few enough cells (read paths: what the stores read back is
     * mostly windows of a few values). A cell is held when its count or (open cells) its sum's bits are not 0.
     */
    private NumericSummary sparseIfFew() {
        if (openCounts == null || sparseLimit == 0) {
            return this;
        }
        int n = presentCells(sparseLimit + 1);
        if (n > sparseLimit) {
            return this;
        }
        long[] e = new long[n];
        double[] sums = new double[n];
        densePresent(e, sums, true);
        entries = e;
        entrySums = sums;
        held = n;
        indexHeld();
        openCounts = null;
        pointCounts = null;
        openSums = null;
        changedCells = null;
        return this;
    }

    /** How many cells of a dense summary are held (count or sum not 0), counting no further than {@code stop}. */
    private int presentCells(int stop) {
        int n = 0;
        int cells = grid.cellCount();
        for (int c = 0; c < cells && n < stop; c++) {
            if (denseCount(c) != 0 || (c & 1) == 0 && Double.doubleToRawLongBits(openSums[c / 2]) != 0) {
                n++;
            }
        }
        return n;
    }

    /** Fills {@code e} and {@code sums} with this dense summary's held cells, in order, with their changed bits. */
    private void densePresent(long[] e, double[] sums, boolean withChanged) {
        int k = 0;
        int cells = grid.cellCount();
        for (int c = 0; c < cells; c++) {
            boolean open = !NumericGrid.isPointCell(c);
            int count = denseCount(c);
            if (count != 0 || open && Double.doubleToRawLongBits(openSums[c / 2]) != 0) {
                long x = entry(c, count);
                if (withChanged && (changedCells[c >>> 6] & 1L << c) != 0) {
                    x |= CHANGED;
                }
                e[k] = x;
                sums[k] = open ? openSums[c / 2] : 0.0;
                k++;
            }
        }
    }

    private static IllegalStateException tooMany(int cell) {
        return new IllegalStateException("cell " + cell + " would hold more than " + Integer.MAX_VALUE
                + " values, more than a summary stores");
    }

    /** Adds every value of an array. */
    public void addAll(double[] values) {
        addAll(values, 0, values.length);
    }

    /**
     * Adds {@code values[from..to)} in that order: the same state, bit for bit, as {@link #add} called on each in
     * turn (the same cells, and the same running mean and M₂, which depend on the order). Many values of one
     * summary in a row find its grid and cells in the cache, where values of many summaries in turn do not.
     *
     * @throws IllegalStateException as {@link #add}, with the values before the failing one added
     */
    public void addAll(double[] values, int from, int to) {
        for (int i = from; i < to; i++) {
            add(values[i]);
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
     * Each cell's count and sum are added to this one's as the dense arrays add them, whatever the two forms.
     *
     * @throws IllegalArgumentException when the grids differ
     */
    public NumericSummary merge(NumericSummary other) {
        if (other.grid.fingerprint() != grid.fingerprint()) {
            throw new IllegalArgumentException("cannot merge summaries on different grids ("
                    + Long.toHexString(grid.fingerprint()) + " vs " + Long.toHexString(other.grid.fingerprint()) + ")");
        }
        checkRoomFor(other); // before anything changes
        long[] otherEntries = other.entries;
        double[] otherSums = other.entrySums;
        int otherHeld = other.held;
        if (openCounts == null) {
            if (other.openCounts != null) {
                int present = other.presentCells(sparseLimit + 1);
                if (present <= sparseLimit) {
                    otherEntries = new long[present];
                    otherSums = new double[present];
                    other.densePresent(otherEntries, otherSums, false);
                    otherHeld = present;
                }
            }
            int union = otherEntries == null ? Integer.MAX_VALUE : unionSize(otherEntries, otherHeld);
            if (union > sparseLimit) {
                toDense();
            } else {
                mergeSparse(otherEntries, otherSums, otherHeld, union);
            }
        }
        if (openCounts != null) {
            if (other.openCounts != null) {
                mergeDense(other);
            } else {
                for (int i = 0; i < otherHeld; i++) {
                    int cell = cellOfEntry(otherEntries[i]);
                    int c = countOfEntry(otherEntries[i]);
                    if (c != 0) {
                        denseCountsOf(cell)[cell >>> 1] += c;
                        changedCells[cell >>> 6] |= 1L << cell;
                    }
                    if (!NumericGrid.isPointCell(cell) && Double.doubleToRawLongBits(otherSums[i]) != 0) {
                        openSums[cell / 2] += otherSums[i];
                        changedCells[cell >>> 6] |= 1L << cell;
                    }
                }
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

    /** Throws when a cell would hold more than 2³¹−1 values after merging {@code other}. */
    private void checkRoomFor(NumericSummary other) {
        if (other.openCounts != null) {
            int cells = grid.cellCount();
            for (int i = 0; i < cells; i++) {
                int c = other.denseCount(i);
                if (c != 0 && cellCount(i) + (long) c > Integer.MAX_VALUE) {
                    throw tooMany(i);
                }
            }
        } else {
            for (int i = 0; i < other.held; i++) {
                int cell = cellOfEntry(other.entries[i]);
                if (cellCount(cell) + (long) countOfEntry(other.entries[i]) > Integer.MAX_VALUE) {
                    throw tooMany(cell);
                }
            }
        }
    }

    private void mergeDense(NumericSummary other) {
        int[] theirs = other.openCounts;
        for (int i = 0; i < theirs.length; i++) {
            if (theirs[i] != 0) {
                openCounts[i] += theirs[i];
                changedCells[(2 * i) >>> 6] |= 1L << (2 * i);
            }
        }
        theirs = other.pointCounts;
        if (theirs != null) {
            for (int i = 0; i < theirs.length; i++) {
                if (theirs[i] != 0) {
                    int cell = 2 * i + 1;
                    denseCountsOf(cell)[i] += theirs[i];
                    changedCells[cell >>> 6] |= 1L << cell;
                }
            }
        }
        for (int i = 0; i < openSums.length; i++) {
            if (Double.doubleToRawLongBits(other.openSums[i]) != 0) {
                openSums[i] += other.openSums[i];
                changedCells[(2 * i) >>> 6] |= 1L << (2 * i);
            }
        }
    }

    /** How many cells this sparse summary holds once the other's held cells are added. */
    private int unionSize(long[] other, int otherHeld) {
        int union = held;
        for (int j = 0; j < otherHeld; j++) {
            if (indexOf(cellOfEntry(other[j])) < 0) {
                union++;
            }
        }
        return union;
    }

    /**
     * Merges the other's held cells into this sparse summary's (the other may be this summary itself: then
     * no cell is new, and each entry is read before it is written).
     */
    private void mergeSparse(long[] other, double[] otherSums, int otherHeld, int union) {
        reserve(union);
        for (int j = 0; j < otherHeld; j++) {
            long o = other[j];
            double otherSum = otherSums[j];
            int cell = cellOfEntry(o);
            int i = indexOf(cell);
            if (i < 0) {
                i = held++;
                entries[i] = entry(cell, 0);
                entrySums[i] = 0.0;
                place(slots, cell, i);
                heldBits[cell >>> 6] |= 1L << cell;
            }
            long x = entries[i];
            int c = countOfEntry(o);
            if (c != 0) {
                x = (x + c) | CHANGED;
            }
            if (!NumericGrid.isPointCell(cell) && Double.doubleToRawLongBits(otherSum) != 0) {
                entrySums[i] += otherSum;
                x |= CHANGED;
            }
            entries[i] = x;
        }
    }

    /**
     * This summary's cells in dense arrays, for walks over every cell of the grid (the tests take several per
     * comparison, where a sparse summary's each cell costs a bit test and each held cell a probe of its table):
     * the summary itself when dense, else a dense copy of the same values, bit for bit. Read-only.
     */
    NumericSummary denseCells() {
        if (openCounts != null) {
            return this;
        }
        NumericSummary d = withMoments(new NumericSummary(grid, 0), count, missing, mean, m2, min, max);
        fillDense(d, entries, entrySums, held);
        d.denseOf = this;
        return d;
    }

    /**
     * The cells that hold values, ascending, with their counts and each open one's mean as {@link #cellMean} gives it,
     * bit for bit: read from the dense arrays or, when sparse, from the held cells in cell order, with the grid's
     * points themselves (not a copy); null on a grid of more than {@link HeldCells#MAX_CELLS} cells.
     */
    HeldCells nonEmptyCells() {
        int size = grid.cellCount();
        if (size > HeldCells.MAX_CELLS) {
            return null;
        }
        int room = openCounts != null ? size : held;
        char[] cells = new char[room];
        int[] counts = new int[room];
        double[] means = new double[openCounts != null ? openCounts.length : held];
        int n = 0;
        int open = 0;
        if (openCounts != null) {
            for (int c = 0; c < size; c++) {
                int k = denseCount(c);
                if (k != 0) {
                    cells[n] = (char) c;
                    counts[n++] = k;
                    if ((c & 1) == 0) {
                        means[open++] = openSums[c >>> 1] / (long) k;
                    }
                }
            }
        } else {
            for (int i : inCellOrder(false)) {
                int k = countOfEntry(entries[i]);
                if (k != 0) {
                    int cell = cellOfEntry(entries[i]);
                    cells[n] = (char) cell;
                    counts[n++] = k;
                    if ((cell & 1) == 0) {
                        means[open++] = entrySums[i] / (long) k;
                    }
                }
            }
        }
        return new HeldCells(n == room ? cells : java.util.Arrays.copyOf(cells, n),
                n == room ? counts : java.util.Arrays.copyOf(counts, n),
                open == means.length ? means : java.util.Arrays.copyOf(means, open), grid.heldPoints());
    }

    /** The summary {@link #denseCells} was taken of: this one, unless this is a dense copy of another. */
    NumericSummary cellsOf() {
        return denseOf == null ? this : denseOf;
    }

    /** A deep copy (sparse when the summary holds few cells). */
    public NumericSummary copy() {
        return new NumericSummary(grid, sparseLimit).merge(this);
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

    /** A copy of the grid's points, ascending. */
    public double[] gridPoints() {
        return grid.points();
    }

    @Override
    public double gridPoint(int point) {
        return grid.pointOf(2 * point + 1);
    }

    /** The count of one cell. */
    @Override
    public long cellCount(int cell) {
        if (openCounts != null) {
            return denseCount(cell);
        }
        int i = heldIndex(cell);
        return i < 0 ? 0 : countOfEntry(entries[i]);
    }

    /** The index of a held cell, or −1 (a cell outside the grid is refused as the dense array refuses it). */
    private int heldIndex(int cell) {
        checkInGrid(cell);
        long[] bits = heldBits;
        if (bits == null || (bits[cell >>> 6] & 1L << cell) == 0) {
            return -1;
        }
        return indexOf(cell);
    }

    /** The mean of the values in a cell (its point for a point cell), NaN when the cell is empty. */
    @Override
    public double cellMean(int cell) {
        long n = cellCount(cell);
        if (n == 0) {
            return Double.NaN;
        }
        return NumericGrid.isPointCell(cell) ? grid.pointOf(cell) : openCellSum(cell) / n;
    }

    /** Exact counts of the coarse bins of the grid. */
    public long[] binCounts() {
        long[] bins = new long[grid.bins().binCount()];
        if (openCounts == null) {
            for (int i = 0; i < held; i++) {
                bins[grid.binOfCell(cellOfEntry(entries[i]))] += countOfEntry(entries[i]);
            }
            return bins;
        }
        int cells = grid.cellCount();
        for (int c = 0; c < cells; c++) {
            bins[grid.binOfCell(c)] += denseCount(c);
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
        s.ensureDense();
        if (cellCounts.length != grid.cellCount() || openSums.length != s.openSums.length) {
            throw new IllegalArgumentException("grid has " + grid.cellCount() + " cells and " + s.openSums.length
                    + " open cells, but " + cellCounts.length + " counts and " + openSums.length + " sums were given");
        }
        long n = 0;
        for (int i = 0; i < cellCounts.length; i++) {
            if (cellCounts[i] < 0 || cellCounts[i] > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("cell " + i + " has a count of " + cellCounts[i]
                        + ", outside 0.." + Integer.MAX_VALUE);
            }
            n += cellCounts[i];
            s.setDenseCount(i, (int) cellCounts[i]);
        }
        System.arraycopy(openSums, 0, s.openSums, 0, openSums.length);
        s.count = n;
        s.missing = missing;
        s.mean = n == 0 ? 0 : mean;
        s.m2 = n == 0 ? 0 : m2;
        s.min = n == 0 ? Double.POSITIVE_INFINITY : min;
        s.max = n == 0 ? Double.NEGATIVE_INFINITY : max;
        return s.sparseIfFew();
    }

    /** The sum of the values of an open cell (0 for point cells). */
    public double openCellSum(int cell) {
        if (NumericGrid.isPointCell(cell)) {
            return 0.0;
        }
        if (openSums != null) {
            return openSums[cell / 2];
        }
        int i = heldIndex(cell);
        return i < 0 ? 0.0 : entrySums[i];
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
            if (changedCells != null) {
                java.util.Arrays.fill(changedCells, 0L);
            } else {
                for (int i = 0; i < held; i++) {
                    entries[i] &= ~CHANGED;
                }
            }
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
        writeChanges(out, false);
    }

    /**
     * {@link #writeChanges}'s form with each changed open cell's sum written as in the compact form
     * ({@link CompactSummaryBytes}): an unsigned varint of its zigzagged distance, in the doubles' order, from the
     * cell's count times its middle, about 5–6 bytes where the raw bits take 8; the rest as {@link #writeChanges}.
     * The sums survive bit for bit. {@link #applyCompactChanges} reads it.
     */
    public void writeCompactChanges(DataOutput out) throws IOException {
        writeChanges(out, true);
    }

    private void writeChanges(DataOutput out, boolean predicted) throws IOException {
        Varint.write(out, count);
        Varint.write(out, missing);
        out.writeLong(Double.doubleToRawLongBits(mean));
        out.writeLong(Double.doubleToRawLongBits(m2));
        out.writeByte(extremesChanged ? 1 : 0);
        if (extremesChanged) {
            out.writeLong(Double.doubleToRawLongBits(min));
            out.writeLong(Double.doubleToRawLongBits(max));
        }
        if (changedCells == null) {
            writeHeldChanges(out, predicted);
            return;
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
                int c = denseCount(cell);
                Varint.write(out, c);
                if (!NumericGrid.isPointCell(cell)) {
                    writeSum(out, cell, c, openSums[cell / 2], predicted);
                }
            }
        }
    }

    /** {@link #writeChanges}'s cells while sparse: the held cells marked changed. */
    private void writeHeldChanges(DataOutput out, boolean predicted) throws IOException {
        int[] order = inCellOrder(true);
        Varint.write(out, order.length);
        int previous = -1;
        for (int i : order) {
            int cell = cellOfEntry(entries[i]);
            Varint.write(out, cell - previous - 1);
            previous = cell;
            Varint.write(out, countOfEntry(entries[i]));
            if (!NumericGrid.isPointCell(cell)) {
                writeSum(out, cell, countOfEntry(entries[i]), entrySums[i], predicted);
            }
        }
    }

    /** An open cell's sum: its raw bits, or (predicted) its code against the cell's count times its middle. */
    private void writeSum(DataOutput out, int cell, long cellCount, double sum, boolean predicted) throws IOException {
        if (predicted) {
            CompactSummaryBytes.writeSumCode(out, grid.heldPoints(), cell / 2, cellCount, sum);
        } else {
            out.writeLong(Double.doubleToRawLongBits(sum));
        }
    }

    /**
     * Sets what {@link #writeChanges} wrote: the scalars and the changed cells' values, as written. Marks
     * nothing as changed.
     *
     * @throws IOException when the bytes are truncated or name a cell the grid does not have
     */
    public void applyChanges(DataInput in) throws IOException {
        applyChanges(in, false);
    }

    /** Sets what {@link #writeCompactChanges} wrote, as {@link #applyChanges} does. */
    public void applyCompactChanges(DataInput in) throws IOException {
        applyChanges(in, true);
    }

    private void applyChanges(DataInput in, boolean predicted) throws IOException {
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
        int cells = grid.cellCount();
        for (long i = 0; i < n; i++) {
            cell += Varint.read(in) + 1;
            long c = Varint.read(in);
            if (cell >= cells || c < 0 || c > Integer.MAX_VALUE) {
                throw new IOException("numeric summary changes name cell " + cell + " with count " + c
                        + "; the grid has " + cells + " cells");
            }
            int at = (int) cell;
            boolean open = !NumericGrid.isPointCell(at);
            int k = openCounts == null ? indexOf(at) : 0;
            if (k < 0) {
                k = insert(at, -k - 1);
            }
            double sum = !open ? 0.0 : predicted ? CompactSummaryBytes.readSumCode(in, grid.heldPoints(), at / 2, c)
                    : Double.longBitsToDouble(in.readLong());
            if (openCounts != null) {
                setDenseCount(at, (int) c);
                if (open) {
                    openSums[at / 2] = sum;
                }
            } else {
                entries[k] = (entries[k] & ~COUNT) | (c & COUNT);
                if (open) {
                    entrySums[k] = sum;
                }
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
        int cells = grid.cellCount();
        int open = grid.pointCount() + 1;
        ByteBuffer out = ByteBuffer.allocate(1 + 8 + 6 * 8 + 4 + cells * 4 + open * 8);
        out.put(FORMAT_VERSION);
        out.putLong(grid.fingerprint());
        out.putLong(count);
        out.putLong(missing);
        out.putDouble(mean);
        out.putDouble(m2);
        out.putDouble(min);
        out.putDouble(max);
        out.putInt(cells);
        if (openCounts == null) {
            // The buffer is zeros: an empty cell's count and sum (+0.0) are zero bytes.
            int countsAt = out.position();
            int sumsAt = countsAt + cells * 4;
            for (int i = 0; i < held; i++) {
                int cell = cellOfEntry(entries[i]);
                out.putInt(countsAt + 4 * cell, countOfEntry(entries[i]));
                if (!NumericGrid.isPointCell(cell)) {
                    out.putDouble(sumsAt + 8 * (cell / 2), entrySums[i]);
                }
            }
            return out.array();
        }
        for (int c = 0; c < cells; c++) {
            out.putInt(denseCount(c));
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
        if (openCounts == null) {
            int[] order = inCellOrder(false);
            long[] filled = new long[order.length];
            double[] sums = new double[order.length];
            for (int k = 0; k < order.length; k++) {
                filled[k] = entries[order[k]];
                sums[k] = entrySums[order[k]];
            }
            return CompactSummaryBytes.write(grid, filled, sums, filled.length, count, missing, mean, m2, min, max);
        }
        int cells = grid.cellCount();
        int n = 0;
        for (int c = 0; c < cells; c++) {
            if (denseCount(c) != 0) {
                n++;
            }
        }
        long[] filled = new long[n];
        double[] sums = new double[n];
        int k = 0;
        for (int c = 0; c < cells; c++) {
            int count = denseCount(c);
            if (count != 0) {
                filled[k] = entry(c, count);
                sums[k++] = NumericGrid.isPointCell(c) ? 0.0 : openSums[c / 2];
            }
        }
        return CompactSummaryBytes.write(grid, filled, sums, n, count, missing, mean, m2, min, max);
    }

    /**
     * The summary that {@link CompactSummaryBytes} read: its filled cells ({@link #entry}, in order) and their
     * sums, taken as they are (sparse when few).
     */
    static NumericSummary ofHeld(NumericGrid grid, long[] filled, double[] sums, int n, long count, long missing,
                                 double mean, double m2, double min, double max) {
        NumericSummary s = header(grid, grid.fingerprint(), count, missing, mean, m2, min, max, grid.cellCount());
        if (s.openCounts == null && n <= s.sparseLimit) {
            s.entries = filled;
            s.entrySums = sums;
            s.held = n;
            s.indexHeld();
        } else {
            s.ensureDense();
            fillDense(s, filled, sums, n);
        }
        return s;
    }

    /** Whether {@link #ofHeld} gives a dense summary for {@code n} filled cells on the grid. */
    static boolean readsDense(NumericGrid grid, int n) {
        int limit = sparseLimit(grid);
        return limit == 0 || n > limit;
    }

    /**
     * The dense summary {@link #ofHeld} gives for the same cells (where {@link #readsDense}), from its arrays,
     * taken as they are: a count per open cell, a count per point cell (null when all are 0) and a sum per open cell.
     */
    static NumericSummary ofDense(NumericGrid grid, int[] openCounts, int[] pointCounts, double[] openSums,
                                  long count, long missing, double mean, double m2, double min, double max) {
        NumericSummary s = withMoments(new NumericSummary(grid), count, missing, mean, m2, min, max);
        s.openCounts = openCounts;
        s.pointCounts = pointCounts;
        s.openSums = openSums;
        s.changedCells = new long[(grid.cellCount() + 63) >>> 6];
        s.entries = null;
        s.entrySums = null;
        return s;
    }

    /**
     * Reads a summary written by {@link #toBytes()} or {@link #toCompactBytes()}.
     *
     * @throws IllegalArgumentException when the bytes are of another grid, version or truncated
     */
    public static NumericSummary fromBytes(NumericGrid grid, byte[] bytes) {
        if (bytes.length > 0 && bytes[0] == FORMAT_VERSION) {
            return fromFixedSize(grid, ByteBuffer.wrap(bytes)).sparseIfFew();
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
            s.ensureDense();
            for (int i = 0; i < grid.cellCount(); i++) {
                long c = Varint.read(in);
                if (c < 0 || c > Integer.MAX_VALUE) {
                    throw new IllegalArgumentException("numeric summary bytes hold a cell count of " + c);
                }
                s.setDenseCount(i, (int) c);
            }
            for (int i = 0; i < s.openSums.length; i++) {
                if (s.openCounts[i] != 0) {
                    s.openSums[i] = in.readDouble();
                }
            }
            return s.sparseIfFew();
        } catch (IOException e) {
            throw new IllegalArgumentException("numeric summary bytes are truncated or corrupt: " + e, e);
        }
    }

    /** Version 2: fixed-size, read straight from a buffer (dense). */
    private static NumericSummary fromFixedSize(NumericGrid grid, ByteBuffer in) {
        try {
            in.get();
            NumericSummary s = header(grid, in.getLong(), in.getLong(), in.getLong(), in.getDouble(),
                    in.getDouble(), in.getDouble(), in.getDouble(), in.getInt());
            s.ensureDense();
            for (int i = 0; i < grid.cellCount(); i++) {
                int c = in.getInt();
                if (c < 0) {
                    throw new IllegalArgumentException("numeric summary bytes hold a negative cell count " + c);
                }
                s.setDenseCount(i, c);
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
        if (cells != grid.cellCount()) {
            throw new IllegalArgumentException("summary has " + cells + " cells, grid has " + grid.cellCount());
        }
        return withMoments(new NumericSummary(grid), count, missing, mean, m2, min, max);
    }

    /** Sets the count, missing count and moments of an empty summary. */
    private static NumericSummary withMoments(NumericSummary s, long count, long missing, double mean, double m2,
                                              double min, double max) {
        s.count = count;
        s.missing = missing;
        s.mean = mean;
        s.m2 = m2;
        s.min = min;
        s.max = max;
        return s;
    }
}
