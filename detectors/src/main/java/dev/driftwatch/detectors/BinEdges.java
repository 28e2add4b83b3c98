package dev.driftwatch.detectors;

import java.util.Arrays;

/**
 * Frozen inner edges e₁ < e₂ < … < e_k of numeric bins. The outer bins are open to −∞ and +∞, so there
 * are k + 1 bins and value v falls in bin i where i is the number of edges ≤ v.
 */
public final class BinEdges {
    private final double[] edges;

    private BinEdges(double[] edges) {
        this.edges = edges;
    }

    /**
     * Edges from a reference sample: the quantiles at k/bins, k = 1..bins−1 ({@link Quantiles#linear}),
     * with duplicates collapsed. A constant reference gives one edge and two bins.
     *
     * @param sortedReference finite reference values in ascending order, at least one
     * @param bins            requested number of bins, 1..10,000 (typically 10)
     */
    public static BinEdges fromReference(double[] sortedReference, int bins) {
        checkBins(bins);
        if (sortedReference.length == 0) {
            throw new EmptySampleException("cannot place bin edges: the reference has no non-missing values");
        }
        double[] raw = new double[bins - 1];
        for (int k = 1; k < bins; k++) {
            raw[k - 1] = Quantiles.linear(sortedReference, k / (double) bins);
        }
        return new BinEdges(SortedArrays.distinct(raw));
    }

    /**
     * Edges given explicitly (for example read back from a stored baseline).
     *
     * @param edges finite and strictly increasing; may be empty (one bin)
     */
    public static BinEdges of(double... edges) {
        for (int i = 0; i < edges.length; i++) {
            if (Missing.isMissing(edges[i])) {
                throw new IllegalArgumentException("bin edge " + i + " is " + edges[i] + "; edges must be finite");
            }
            if (i > 0 && !(edges[i] > edges[i - 1])) {
                throw new IllegalArgumentException("bin edges must be strictly increasing, but edge " + i + " ("
                        + edges[i] + ") follows " + edges[i - 1]);
            }
        }
        return new BinEdges(edges.clone());
    }

    /** Validates a requested bin count. */
    public static void checkBins(int bins) {
        if (bins < 1 || bins > 10_000) {
            throw new IllegalArgumentException("bins must be between 1 and 10000, got " + bins);
        }
    }

    /** The bin of a finite value: the number of edges ≤ v, in 0..{@link #binCount()}−1. */
    public int binOf(double v) {
        return SortedArrays.countAtMost(edges, v);
    }

    /** Number of bins: edges + 1. */
    public int binCount() {
        return edges.length + 1;
    }

    /** A copy of the inner edges. */
    public double[] edges() {
        return edges.clone();
    }

    /** Exact counts of the given finite values per bin. */
    public long[] count(double[] values) {
        long[] counts = new long[binCount()];
        for (double v : values) {
            counts[binOf(v)]++;
        }
        return counts;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BinEdges b && Arrays.equals(edges, b.edges);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(edges);
    }

    @Override
    public String toString() {
        return "BinEdges" + Arrays.toString(edges);
    }
}
