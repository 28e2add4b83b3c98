package dev.driftwatch.detectors.summary;

import dev.driftwatch.detectors.BinEdges;
import dev.driftwatch.detectors.EmptySampleException;
import dev.driftwatch.detectors.SortedArrays;

import java.util.Arrays;

/**
 * The frozen layout of a numeric window summary: K sorted distinct points p₀ &lt; … &lt; p_{K−1} that
 * cut the line into 2K + 1 cells, alternating open intervals and single points:
 * (−∞, p₀), {p₀}, (p₀, p₁), {p₁}, …, {p_{K−1}}, (p_{K−1}, +∞).
 *
 * <p>The points are reference values: the order statistics x[⌊p·(n−1)⌋] at p = j/G, j = 0..G (G the
 * resolution; so the minimum and maximum), a few more at p = 2^−k/G and 1 − 2^−k/G in the tails, and
 * the coarse bin edges. Hence (1) the coarse bins used by PSI/KL/JS are unions of cells and their counts
 * are exact; (2) the reference has no mass outside [min, max]; (3) between two consecutive points lie
 * fewer than (n−1)/G reference values, so every open cell holds less than 1/G of the reference. The
 * last fact bounds the error of a KS statistic computed from cell counts: 0 ≤ D − D_grid &lt; 1/G.
 */
public final class NumericGrid {
    /** Default resolution G: KS D from a summary is within 1/400 = 0.0025 of the exact value. */
    public static final int DEFAULT_RESOLUTION = 400;

    private static final int TAIL_STEPS = 12;
    /** The most coarse bins whose indexes a byte holds (read unsigned). */
    static final int MAX_NARROW_BINS = 256;

    private final double[] points;
    private final BinEdges bins;
    /**
     * Each cell's coarse bin, a byte a cell (read unsigned, where ints took 4: a grid is held once per baseline, and
     * with a baseline per model version the grids are most of the heap), or null when there are more bins than a
     * byte holds (256; a published baseline may have as many as its grid has points), then {@link #charCellToBin}
     * or, beyond what a char holds, {@link #wideCellToBin}.
     */
    private final byte[] cellToBin;
    private final char[] charCellToBin;
    private final int[] wideCellToBin;
    private final long fingerprint;

    private NumericGrid(double[] points, BinEdges bins) {
        this.points = points;
        this.bins = bins;
        double[] edges = bins.edges();
        for (double e : edges) {
            if (Arrays.binarySearch(points, e) < 0) {
                throw new IllegalArgumentException("coarse bin edge " + e + " is not a point of the grid");
            }
        }
        int[] binOfCell = new int[cellCount()];
        for (int c = 0; c < binOfCell.length; c++) {
            // A point cell maps to the bin of its point; an open cell after point p to the bin of p
            // (no coarse edge lies strictly between two consecutive grid points).
            if (isPointCell(c)) {
                binOfCell[c] = bins.binOf(points[c / 2]);
            } else {
                binOfCell[c] = c == 0 ? 0 : bins.binOf(points[c / 2 - 1]);
            }
        }
        int binCount = bins.binCount();
        this.cellToBin = binCount <= MAX_NARROW_BINS ? new byte[binOfCell.length] : null;
        boolean chars = cellToBin == null && binCount - 1 <= Character.MAX_VALUE;
        this.charCellToBin = chars ? new char[binOfCell.length] : null;
        this.wideCellToBin = cellToBin == null && charCellToBin == null ? binOfCell : null;
        for (int c = 0; c < binOfCell.length; c++) {
            if (cellToBin != null) {
                cellToBin[c] = (byte) binOfCell[c];
            } else if (charCellToBin != null) {
                charCellToBin[c] = (char) binOfCell[c];
            }
        }
        this.fingerprint = computeFingerprint(points, edges);
    }

    /**
     * A grid for a reference sample.
     *
     * @param sortedReference finite reference values, ascending, at least one
     * @param bins            the coarse bins (normally {@link BinEdges#fromReference} of the same sample)
     * @param resolution      G, the number of quantile steps, 2..100,000 (default 400)
     */
    public static NumericGrid fromReference(double[] sortedReference, BinEdges bins, int resolution) {
        if (resolution < 2 || resolution > 100_000) {
            throw new IllegalArgumentException("grid resolution must be between 2 and 100000, got " + resolution);
        }
        if (sortedReference.length == 0) {
            throw new EmptySampleException("cannot build a grid: the reference has no non-missing values");
        }
        double[] edges = bins.edges();
        int n = sortedReference.length;
        double[] raw = new double[resolution + 1 + 2 * TAIL_STEPS + edges.length];
        int w = 0;
        for (int j = 0; j <= resolution; j++) {
            raw[w++] = orderStatistic(sortedReference, j / (double) resolution);
        }
        // Finer points in both tails, where the cells would otherwise be widest (helps Wasserstein).
        double tail = 1.0 / resolution;
        for (int k = 1; k <= TAIL_STEPS; k++) {
            tail /= 2;
            raw[w++] = orderStatistic(sortedReference, tail);
            raw[w++] = orderStatistic(sortedReference, 1 - tail);
        }
        System.arraycopy(edges, 0, raw, w, edges.length);
        Arrays.sort(raw);
        return new NumericGrid(SortedArrays.distinct(raw), bins);
    }

    /** A grid from stored points and coarse edges (every coarse edge must be a point). */
    public static NumericGrid of(double[] points, BinEdges bins) {
        BinEdges.of(points); // validates: finite, strictly increasing
        if (points.length == 0) {
            throw new IllegalArgumentException("a grid needs at least one point");
        }
        return new NumericGrid(points.clone(), bins);
    }

    /** The order statistic x[⌊p·(n−1)⌋]: always a value of the sample. */
    private static double orderStatistic(double[] sorted, double p) {
        return sorted[(int) Math.floor(p * (sorted.length - 1))];
    }

    private static long computeFingerprint(double[] points, double[] edges) {
        long h = 0xcbf29ce484222325L;
        for (double p : points) {
            h = (h ^ Double.doubleToLongBits(p)) * 0x100000001b3L;
        }
        h = (h ^ 0xff) * 0x100000001b3L;
        for (double e : edges) {
            h = (h ^ Double.doubleToLongBits(e)) * 0x100000001b3L;
        }
        return h;
    }

    /**
     * The cell of a finite value: 2c−1 when v equals the c-th point, otherwise 2c for c points below v.
     *
     * <p>Every event's every numeric value lands here, so the common case touches two arrays at most: the
     * range [p₀, p_{K−1}) is cut into 2K equal parts, and a guide holds for each part how many points lie
     * in the parts before it. A value's part then leaves only the points in that same part to compare
     * (usually none or one), where a binary search over all K points spent most of its time in mispredicted
     * branches. The part is computed for values and points by the one expression {@link Guide#partOf}, which
     * never decreases as its argument grows; so a point in an earlier part is below the value and a point in
     * a later part above it, and the answer is exact whatever the rounding.
     */
    public int cellOf(double v) {
        return guide().cellOf(v);
    }

    /** The guide to cells (see {@link #cellOf}), for a summary to keep at hand. */
    Guide guide() {
        Guide g = guide;
        if (g == null) {
            g = new Guide(points);
            guide = g;
        }
        return g;
    }

    /** Built on first use; immutable, so a thread that races another sees it whole or builds its own. */
    private Guide guide;

    /** The parts of [p₀, p_{K−1}) and how many points lie before each. */
    static final class Guide {
        private final double[] points;
        final double first;
        final double last;
        final double scale;
        /**
         * below[j]: the points whose part is before j; below[parts] = K. As chars (2 bytes a part, where ints took
         * 4: the guide is held once per grid, and a grid once per baseline), or null for a grid with more points than
         * a char counts, then {@link #wideBelow}.
         */
        private final char[] below;
        private final int[] wideBelow;
        /** The last part, 2K − 1 (0 for one point). */
        private final int lastPart;

        Guide(double[] points) {
            this.points = points;
            int k = points.length;
            int parts = Math.max(1, 2 * k);
            first = points[0];
            last = points[k - 1];
            lastPart = parts - 1;
            double span = last - first;
            // A span too small to divide (or a single point): one part holds every point.
            scale = span > 0 && Double.isFinite(parts / span) ? parts / span : 0;
            int[] counts = new int[parts + 1]; // the points in each part, at the next part's index; then summed up
            for (double p : points) {
                counts[partOf(p) + 1]++;
            }
            for (int j = 0; j < parts; j++) {
                counts[j + 1] += counts[j];
            }
            if (k <= Character.MAX_VALUE) {
                below = new char[counts.length];
                for (int j = 0; j < counts.length; j++) {
                    below[j] = (char) counts[j];
                }
                wideBelow = null;
            } else {
                below = null;
                wideBelow = counts;
            }
        }

        /** See {@link NumericGrid#cellOf}. */
        int cellOf(double v) {
            if (v >= first && v < last) {
                int part = partOf(v);
                int lo;
                int end;
                char[] b = below;
                if (b != null) {
                    lo = b[part];
                    end = b[part + 1];
                } else {
                    lo = wideBelow[part];
                    end = wideBelow[part + 1];
                }
                if (lo == end) {
                    return 2 * lo; // no point in the part: all before it are below v, all after it above
                }
                int start = lo;
                if (end - lo <= 4) {
                    while (lo < end && points[lo] <= v) {
                        lo++;
                    }
                } else {
                    lo = SortedArrays.countAtMost(points, v, lo, end);
                }
                return lo > start && points[lo - 1] == v ? 2 * lo - 1 : 2 * lo;
            }
            // Below p₀, at or above p_{K−1}, or NaN: as the plain search has it.
            int lo = SortedArrays.countAtMost(points, v);
            return lo > 0 && points[lo - 1] == v ? 2 * lo - 1 : 2 * lo;
        }

        /** The part of a value in [p₀, p_{K−1}]: never decreases as x grows (rounding included). */
        int partOf(double x) {
            int part = (int) ((x - first) * scale);
            return Math.min(part, lastPart);
        }
    }

    /** Number of cells, 2K + 1. */
    public int cellCount() {
        return 2 * points.length + 1;
    }

    /** Whether a cell is a single point (odd index). */
    public static boolean isPointCell(int cell) {
        return (cell & 1) == 1;
    }

    /** The value of a point cell. */
    public double pointOf(int cell) {
        return points[cell / 2];
    }

    /** The coarse bin that contains a cell. */
    public int binOfCell(int cell) {
        if (cellToBin != null) {
            return cellToBin[cell] & 0xFF;
        }
        return charCellToBin != null ? charCellToBin[cell] : wideCellToBin[cell];
    }

    /** The coarse bins. */
    public BinEdges bins() {
        return bins;
    }

    /** A copy of the points. */
    public double[] points() {
        return points.clone();
    }

    /** The points themselves, for this package's encoders, which read them only (a copy is 3.3 KB on the default grid). */
    double[] heldPoints() {
        return points;
    }

    /** Number of points K. */
    public int pointCount() {
        return points.length;
    }

    /** A 64-bit hash of points and edges: summaries on different grids cannot be merged or compared. */
    public long fingerprint() {
        return fingerprint;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NumericGrid g && fingerprint == g.fingerprint && Arrays.equals(points, g.points)
                && bins.equals(g.bins);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(fingerprint);
    }
}
